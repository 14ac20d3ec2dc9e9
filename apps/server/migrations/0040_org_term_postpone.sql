ALTER TABLE "org_term" ADD COLUMN "postponed_to" date;--> statement-breakpoint
ALTER TABLE "org_term" ADD COLUMN "postponement" jsonb;--> statement-breakpoint
ALTER TABLE "org_term" ADD COLUMN "election_due_on" date GENERATED ALWAYS AS (coalesce(postponed_to, ends_on)) STORED NOT NULL;
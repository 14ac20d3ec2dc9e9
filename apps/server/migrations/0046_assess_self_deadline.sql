ALTER TABLE "assess_plan" ADD COLUMN "self_deadline" date;--> statement-breakpoint
ALTER TABLE "assess_unit" ADD COLUMN "self_reopened_until" date;--> statement-breakpoint
ALTER TABLE "assess_unit" ADD COLUMN "self_reopened_by" text;
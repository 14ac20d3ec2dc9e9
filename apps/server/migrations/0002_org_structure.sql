CREATE TABLE "committee_member" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"term_id" uuid NOT NULL,
	"member_id" uuid,
	"name" text NOT NULL,
	"position" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_election" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"seats" integer NOT NULL,
	"due_voters" integer NOT NULL,
	"present_voters" integer NOT NULL,
	"ballots_issued" integer NOT NULL,
	"ballots_returned" integer NOT NULL,
	"candidates" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_term" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"term_years" integer NOT NULL,
	"ends_on" date NOT NULL,
	"election_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org" ADD COLUMN "contact_person" text;--> statement-breakpoint
ALTER TABLE "org" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "org" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "org" ADD COLUMN "lat" double precision;--> statement-breakpoint
ALTER TABLE "org" ADD COLUMN "lng" double precision;--> statement-breakpoint
ALTER TABLE "org" ADD COLUMN "established_on" date;--> statement-breakpoint
ALTER TABLE "org" ADD COLUMN "dissolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "committee_member" ADD CONSTRAINT "committee_member_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_member" ADD CONSTRAINT "committee_member_term_id_org_term_id_fk" FOREIGN KEY ("term_id") REFERENCES "public"."org_term"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_election" ADD CONSTRAINT "org_election_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_term" ADD CONSTRAINT "org_term_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "committee_member_term_idx" ON "committee_member" USING btree ("term_id");--> statement-breakpoint
CREATE INDEX "org_election_org_idx" ON "org_election" USING btree ("org_id","held_on");--> statement-breakpoint
CREATE INDEX "org_term_org_idx" ON "org_term" USING btree ("org_id","starts_on");
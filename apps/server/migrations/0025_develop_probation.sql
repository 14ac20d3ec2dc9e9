CREATE TABLE "develop_probation_decision" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"months" integer,
	"meeting_on" date NOT NULL,
	"vote" jsonb NOT NULL,
	"approved_on" date NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "develop_probation_decision" ADD CONSTRAINT "develop_probation_decision_person_id_develop_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."develop_person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "develop_probation_decision_person_kind_uq" ON "develop_probation_decision" USING btree ("person_id","kind");
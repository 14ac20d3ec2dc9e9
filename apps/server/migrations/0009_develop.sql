CREATE TABLE "develop_assessment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"on" date NOT NULL,
	"assessor" text NOT NULL,
	"summary" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "develop_file" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "develop_person" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"gender" text NOT NULL,
	"birth_date" date NOT NULL,
	"ethnicity" text DEFAULT '汉族' NOT NULL,
	"education" text,
	"occupation" text,
	"job_title" text,
	"id_card_enc" text NOT NULL,
	"id_card_idx" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_idx" text NOT NULL,
	"status" text NOT NULL,
	"last_step" integer NOT NULL,
	"applied_at" date NOT NULL,
	"member_id" uuid,
	"closed_at" date,
	"closed_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "develop_plan" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"quota" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "develop_step" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"done_on" date NOT NULL,
	"responsible" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"override_reason" text,
	"override_by" text,
	"override_violations" jsonb,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "develop_assessment" ADD CONSTRAINT "develop_assessment_person_id_develop_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."develop_person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "develop_file" ADD CONSTRAINT "develop_file_person_id_develop_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."develop_person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "develop_person" ADD CONSTRAINT "develop_person_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "develop_person" ADD CONSTRAINT "develop_person_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "develop_plan" ADD CONSTRAINT "develop_plan_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "develop_step" ADD CONSTRAINT "develop_step_person_id_develop_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."develop_person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "develop_step" ADD CONSTRAINT "develop_step_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "develop_assessment_person_idx" ON "develop_assessment" USING btree ("person_id","on");--> statement-breakpoint
CREATE INDEX "develop_file_person_idx" ON "develop_file" USING btree ("person_id","step");--> statement-breakpoint
CREATE UNIQUE INDEX "develop_person_open_id_card_uq" ON "develop_person" USING btree ("tenant_id","id_card_idx") WHERE "develop_person"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "develop_person_org_idx" ON "develop_person" USING btree ("org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "develop_plan_org_year_uq" ON "develop_plan" USING btree ("org_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "develop_step_person_step_uq" ON "develop_step" USING btree ("person_id","step");--> statement-breakpoint
CREATE INDEX "develop_step_org_idx" ON "develop_step" USING btree ("org_id","step","done_on");
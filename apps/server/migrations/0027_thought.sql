CREATE TABLE "thought_report" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid,
	"develop_person_id" uuid,
	"period" text NOT NULL,
	"title" text NOT NULL,
	"text_enc" text NOT NULL,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"mark" text,
	"comment_enc" text,
	"commented_by" text,
	"commented_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "thought_setting" (
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"flowing_cadence" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "thought_setting_tenant_id_org_id_pk" PRIMARY KEY("tenant_id","org_id")
);
--> statement-breakpoint
ALTER TABLE "thought_report" ADD CONSTRAINT "thought_report_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thought_report" ADD CONSTRAINT "thought_report_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thought_report" ADD CONSTRAINT "thought_report_develop_person_id_develop_person_id_fk" FOREIGN KEY ("develop_person_id") REFERENCES "public"."develop_person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thought_report" ADD CONSTRAINT "thought_report_submitted_by_app_user_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thought_setting" ADD CONSTRAINT "thought_setting_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "thought_report_org_idx" ON "thought_report" USING btree ("tenant_id","org_id","submitted_at");--> statement-breakpoint
CREATE INDEX "thought_report_member_idx" ON "thought_report" USING btree ("member_id","period");--> statement-breakpoint
CREATE INDEX "thought_report_person_idx" ON "thought_report" USING btree ("develop_person_id","period");
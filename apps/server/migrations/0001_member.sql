CREATE TABLE "member" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_initials" text NOT NULL,
	"gender" text NOT NULL,
	"ethnicity" text DEFAULT '汉族' NOT NULL,
	"birth_date" date NOT NULL,
	"id_card_enc" text NOT NULL,
	"id_card_idx" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_idx" text NOT NULL,
	"education" text,
	"occupation" text,
	"job_title" text,
	"joined_at" date NOT NULL,
	"full_at" date,
	"status" text NOT NULL,
	"dues_category" text DEFAULT 'employed' NOT NULL,
	"user_id" uuid,
	"flowing" boolean DEFAULT false NOT NULL,
	"left_at" date,
	"left_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "member_id_card_uq" ON "member" USING btree ("tenant_id","id_card_idx");--> statement-breakpoint
CREATE UNIQUE INDEX "member_user_uq" ON "member" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "member_org_idx" ON "member" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "member_phone_idx" ON "member" USING btree ("tenant_id","phone_idx");--> statement-breakpoint
CREATE INDEX "member_initials_idx" ON "member" USING btree ("tenant_id","name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "member_name_idx" ON "member" USING btree ("tenant_id","name" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "member_active_idx" ON "member" USING btree ("tenant_id") WHERE "member"."left_at" is null;
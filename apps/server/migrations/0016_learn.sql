CREATE TABLE "learn_attempt" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid,
	"member_id" uuid,
	"org_id" uuid NOT NULL,
	"learner" text NOT NULL,
	"kind" text NOT NULL,
	"exam_id" uuid,
	"on_date" date NOT NULL,
	"question_ids" jsonb NOT NULL,
	"answers" jsonb,
	"started_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"score" integer,
	"passed" boolean
);
--> statement-breakpoint
CREATE TABLE "learn_exam" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"question_ids" jsonb NOT NULL,
	"pass_score" integer NOT NULL,
	"minutes" integer NOT NULL,
	"max_attempts" integer NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learn_file" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"role" text NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learn_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"keywords" text DEFAULT '' NOT NULL,
	"author" text DEFAULT '' NOT NULL,
	"minutes" integer DEFAULT 5 NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"due_on" date,
	"title_initials" text NOT NULL,
	"search_grams" text[] GENERATED ALWAYS AS (member_name_grams(title || ' ' || keywords || ' ' || summary || ' ' || left(body, 3000))) STORED NOT NULL,
	"initials_grams" text[] GENERATED ALWAYS AS (member_name_grams(title_initials)) STORED NOT NULL,
	"published_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learn_point" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"on_date" date NOT NULL,
	"reason" text NOT NULL,
	"ref_id" uuid NOT NULL,
	"title" text NOT NULL,
	"points" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learn_question" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"stem" text NOT NULL,
	"options" jsonb NOT NULL,
	"answer" jsonb NOT NULL,
	"explanation" text DEFAULT '' NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learn_record" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid,
	"member_id" uuid,
	"org_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"seconds" integer DEFAULT 0 NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"active_month" text NOT NULL,
	"last_report_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learn_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"points_enabled" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learn_attempt" ADD CONSTRAINT "learn_attempt_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_attempt" ADD CONSTRAINT "learn_attempt_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_attempt" ADD CONSTRAINT "learn_attempt_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_attempt" ADD CONSTRAINT "learn_attempt_exam_id_learn_exam_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."learn_exam"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_exam" ADD CONSTRAINT "learn_exam_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_file" ADD CONSTRAINT "learn_file_item_id_learn_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."learn_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_item" ADD CONSTRAINT "learn_item_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_point" ADD CONSTRAINT "learn_point_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_question" ADD CONSTRAINT "learn_question_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_record" ADD CONSTRAINT "learn_record_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_record" ADD CONSTRAINT "learn_record_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_record" ADD CONSTRAINT "learn_record_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_record" ADD CONSTRAINT "learn_record_item_id_learn_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."learn_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "learn_attempt_daily_uq" ON "learn_attempt" USING btree ("user_id","on_date") WHERE "learn_attempt"."kind" = 'daily';--> statement-breakpoint
CREATE INDEX "learn_attempt_exam_idx" ON "learn_attempt" USING btree ("exam_id","user_id");--> statement-breakpoint
CREATE INDEX "learn_attempt_org_idx" ON "learn_attempt" USING btree ("tenant_id","org_id","on_date");--> statement-breakpoint
CREATE INDEX "learn_exam_org_idx" ON "learn_exam" USING btree ("tenant_id","org_id","closes_on");--> statement-breakpoint
CREATE INDEX "learn_file_item_idx" ON "learn_file" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "learn_item_org_idx" ON "learn_item" USING btree ("tenant_id","org_id","published_at");--> statement-breakpoint
CREATE INDEX "learn_item_search_grams_idx" ON "learn_item" USING gin ("search_grams");--> statement-breakpoint
CREATE INDEX "learn_item_initials_grams_idx" ON "learn_item" USING gin ("initials_grams");--> statement-breakpoint
CREATE UNIQUE INDEX "learn_point_once_uq" ON "learn_point" USING btree ("user_id","reason","ref_id");--> statement-breakpoint
CREATE INDEX "learn_point_user_day_idx" ON "learn_point" USING btree ("user_id","on_date");--> statement-breakpoint
CREATE INDEX "learn_question_org_idx" ON "learn_question" USING btree ("tenant_id","org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "learn_record_user_item_uq" ON "learn_record" USING btree ("user_id","item_id");--> statement-breakpoint
CREATE INDEX "learn_record_org_idx" ON "learn_record" USING btree ("tenant_id","org_id","updated_at");--> statement-breakpoint
CREATE INDEX "learn_record_item_idx" ON "learn_record" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "learn_record_month_idx" ON "learn_record" USING btree ("tenant_id","active_month","org_id");
--> statement-breakpoint
-- Change-feed topic `learn` for the dashboard's learning participation (see 0012_data_version.sql). Progress
-- reports do not bump it: a record's UPDATE counts only when its active_month is written (once a month).
INSERT INTO "data_version" ("topic", "version") VALUES ('learn', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER learn_record_data_version AFTER INSERT OR UPDATE OF active_month OR DELETE OR TRUNCATE ON "learn_record" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('learn');
--> statement-breakpoint
CREATE TRIGGER learn_attempt_data_version AFTER INSERT OR UPDATE OF submitted_at OR DELETE OR TRUNCATE ON "learn_attempt" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('learn');
--> statement-breakpoint
CREATE TRIGGER learn_item_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "learn_item" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('learn');
--> statement-breakpoint
CREATE TRIGGER learn_exam_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "learn_exam" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('learn');

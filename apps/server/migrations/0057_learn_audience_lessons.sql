CREATE TABLE "learn_lesson" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"minutes" integer DEFAULT 5 NOT NULL,
	"file_id" uuid,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learn_lesson_record" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid,
	"member_id" uuid,
	"item_id" uuid NOT NULL,
	"lesson_id" uuid NOT NULL,
	"seconds" integer DEFAULT 0 NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"last_report_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learn_exam" ADD COLUMN "audience" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "learn_item" ADD COLUMN "audience" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "learn_org_settings" ADD COLUMN "practice_categories" text[];--> statement-breakpoint
ALTER TABLE "learn_record" ADD COLUMN "develop_person_id" uuid;--> statement-breakpoint
ALTER TABLE "learn_lesson" ADD CONSTRAINT "learn_lesson_item_id_learn_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."learn_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_lesson" ADD CONSTRAINT "learn_lesson_file_id_learn_file_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."learn_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_lesson_record" ADD CONSTRAINT "learn_lesson_record_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_lesson_record" ADD CONSTRAINT "learn_lesson_record_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_lesson_record" ADD CONSTRAINT "learn_lesson_record_item_id_learn_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."learn_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learn_lesson_record" ADD CONSTRAINT "learn_lesson_record_lesson_id_learn_lesson_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."learn_lesson"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "learn_lesson_item_idx" ON "learn_lesson" USING btree ("item_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "learn_lesson_record_user_uq" ON "learn_lesson_record" USING btree ("user_id","lesson_id");--> statement-breakpoint
CREATE INDEX "learn_lesson_record_item_idx" ON "learn_lesson_record" USING btree ("user_id","item_id");--> statement-breakpoint
ALTER TABLE "learn_record" ADD CONSTRAINT "learn_record_develop_person_id_develop_person_id_fk" FOREIGN KEY ("develop_person_id") REFERENCES "public"."develop_person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "learn_record_person_item_uq" ON "learn_record" USING btree ("develop_person_id","item_id");
--> statement-breakpoint
-- Every existing course becomes a one-lesson course: its video (or its PDF, else its text) is lesson 1, and each
-- learner's record of the course is their record of that lesson.
INSERT INTO "learn_lesson" ("tenant_id", "item_id", "position", "kind", "title", "body", "minutes", "file_id", "created_at")
SELECT i."tenant_id", i."id", 1,
       CASE WHEN v."id" IS NOT NULL THEN 'video' WHEN d."id" IS NOT NULL THEN 'pdf' ELSE 'text' END,
       i."title", i."body", i."minutes", coalesce(v."id", d."id"), i."created_at"
FROM "learn_item" i
LEFT JOIN LATERAL (SELECT f."id" FROM "learn_file" f WHERE f."item_id" = i."id" AND f."role" = 'video' ORDER BY f."created_at" DESC LIMIT 1) v ON true
LEFT JOIN LATERAL (SELECT f."id" FROM "learn_file" f WHERE f."item_id" = i."id" AND f."role" = 'document' AND f."mime" = 'application/pdf' ORDER BY f."created_at" DESC LIMIT 1) d ON true
WHERE i."kind" = 'course';--> statement-breakpoint
INSERT INTO "learn_lesson_record" ("tenant_id", "user_id", "member_id", "item_id", "lesson_id", "seconds", "progress", "completed_at", "last_report_at", "updated_at")
SELECT r."tenant_id", r."user_id", r."member_id", r."item_id", l."id", r."seconds", r."progress", r."completed_at", r."last_report_at", r."updated_at"
FROM "learn_record" r JOIN "learn_lesson" l ON l."item_id" = r."item_id" AND l."position" = 1
WHERE r."develop_person_id" IS NULL;

CREATE TABLE "media_lecture" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"speaker" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"stream_url" text,
	"video_key" text,
	"video_name" text,
	"video_mime" text,
	"video_size" integer,
	"video_sha256" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_lecture_attendance" (
	"tenant_id" uuid NOT NULL,
	"lecture_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"user_id" uuid,
	"org_id" uuid NOT NULL,
	"meeting_id" uuid,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_lecture_attendance_lecture_id_member_id_pk" PRIMARY KEY("lecture_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "media_lecture_question" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lecture_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"asker_name" text NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "media_lecture" ADD CONSTRAINT "media_lecture_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_lecture_attendance" ADD CONSTRAINT "media_lecture_attendance_lecture_id_media_lecture_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."media_lecture"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_lecture_attendance" ADD CONSTRAINT "media_lecture_attendance_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_lecture_attendance" ADD CONSTRAINT "media_lecture_attendance_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_lecture_attendance" ADD CONSTRAINT "media_lecture_attendance_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_lecture_question" ADD CONSTRAINT "media_lecture_question_lecture_id_media_lecture_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."media_lecture"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_lecture_question" ADD CONSTRAINT "media_lecture_question_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_lecture_org_idx" ON "media_lecture" USING btree ("tenant_id","org_id","starts_at");--> statement-breakpoint
CREATE INDEX "media_lecture_attendance_user_idx" ON "media_lecture_attendance" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "media_lecture_question_lecture_idx" ON "media_lecture_question" USING btree ("lecture_id","created_at");--> statement-breakpoint
CREATE INDEX "media_lecture_question_user_idx" ON "media_lecture_question" USING btree ("user_id");
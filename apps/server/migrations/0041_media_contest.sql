CREATE TABLE "media_contest" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"rules" text NOT NULL,
	"submit_from" date NOT NULL,
	"submit_to" date NOT NULL,
	"rubric" jsonb NOT NULL,
	"drop_highest" integer DEFAULT 0 NOT NULL,
	"drop_lowest" integer DEFAULT 0 NOT NULL,
	"public_vote" boolean DEFAULT false NOT NULL,
	"winner_count" integer DEFAULT 3 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_contest_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"contest_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"user_id" uuid,
	"org_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"minutes" integer DEFAULT 3 NOT NULL,
	"video_key" text,
	"video_name" text,
	"video_mime" text,
	"video_size" integer,
	"video_sha256" text,
	"learn_item_id" uuid,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_contest_judge" (
	"tenant_id" uuid NOT NULL,
	"contest_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "media_contest_judge_contest_id_user_id_pk" PRIMARY KEY("contest_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "media_contest_score" (
	"tenant_id" uuid NOT NULL,
	"contest_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"judge_user_id" uuid NOT NULL,
	"scores" jsonb NOT NULL,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_contest_score_entry_id_judge_user_id_pk" PRIMARY KEY("entry_id","judge_user_id")
);
--> statement-breakpoint
CREATE TABLE "media_contest_vote" (
	"tenant_id" uuid NOT NULL,
	"contest_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"entry_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_contest_vote_contest_id_user_id_day_pk" PRIMARY KEY("contest_id","user_id","day")
);
--> statement-breakpoint
ALTER TABLE "media_contest" ADD CONSTRAINT "media_contest_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_entry" ADD CONSTRAINT "media_contest_entry_contest_id_media_contest_id_fk" FOREIGN KEY ("contest_id") REFERENCES "public"."media_contest"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_entry" ADD CONSTRAINT "media_contest_entry_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_entry" ADD CONSTRAINT "media_contest_entry_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_entry" ADD CONSTRAINT "media_contest_entry_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_judge" ADD CONSTRAINT "media_contest_judge_contest_id_media_contest_id_fk" FOREIGN KEY ("contest_id") REFERENCES "public"."media_contest"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_judge" ADD CONSTRAINT "media_contest_judge_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_judge" ADD CONSTRAINT "media_contest_judge_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_score" ADD CONSTRAINT "media_contest_score_contest_id_media_contest_id_fk" FOREIGN KEY ("contest_id") REFERENCES "public"."media_contest"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_score" ADD CONSTRAINT "media_contest_score_entry_id_media_contest_entry_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."media_contest_entry"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_score" ADD CONSTRAINT "media_contest_score_judge_user_id_app_user_id_fk" FOREIGN KEY ("judge_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_vote" ADD CONSTRAINT "media_contest_vote_contest_id_media_contest_id_fk" FOREIGN KEY ("contest_id") REFERENCES "public"."media_contest"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_vote" ADD CONSTRAINT "media_contest_vote_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_contest_vote" ADD CONSTRAINT "media_contest_vote_entry_id_media_contest_entry_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."media_contest_entry"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_contest_org_idx" ON "media_contest" USING btree ("tenant_id","org_id","submit_from");--> statement-breakpoint
CREATE UNIQUE INDEX "media_contest_entry_member_uq" ON "media_contest_entry" USING btree ("contest_id","member_id");--> statement-breakpoint
CREATE INDEX "media_contest_entry_user_idx" ON "media_contest_entry" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "media_contest_judge_user_idx" ON "media_contest_judge" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "media_contest_score_judge_idx" ON "media_contest_score" USING btree ("judge_user_id");--> statement-breakpoint
CREATE INDEX "media_contest_vote_entry_idx" ON "media_contest_vote" USING btree ("entry_id");
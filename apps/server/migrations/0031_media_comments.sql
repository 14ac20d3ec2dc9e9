CREATE TABLE "media_comment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"text" text NOT NULL,
	"status" text NOT NULL,
	"hits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_word_list" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"words" jsonb NOT NULL,
	"version" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "media_article" ADD COLUMN "publish_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "media_article" ADD COLUMN "announced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "media_article" ADD COLUMN "comment_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "media_comment" ADD CONSTRAINT "media_comment_article_id_media_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."media_article"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_comment" ADD CONSTRAINT "media_comment_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_comment_article_idx" ON "media_comment" USING btree ("article_id","status","created_at");--> statement-breakpoint
CREATE INDEX "media_comment_held_idx" ON "media_comment" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "media_comment_user_idx" ON "media_comment" USING btree ("user_id");
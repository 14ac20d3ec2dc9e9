ALTER TABLE "media_comment" ALTER COLUMN "article_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "media_comment" ADD COLUMN "lecture_id" uuid;--> statement-breakpoint
ALTER TABLE "media_comment" ADD COLUMN "entry_id" uuid;--> statement-breakpoint
ALTER TABLE "media_comment" ADD COLUMN "org_id" uuid;--> statement-breakpoint
UPDATE "media_comment" SET "org_id" = "media_article"."org_id" FROM "media_article" WHERE "media_article"."id" = "media_comment"."article_id";--> statement-breakpoint
ALTER TABLE "media_comment" ALTER COLUMN "org_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "media_comment" ADD CONSTRAINT "media_comment_lecture_id_media_lecture_id_fk" FOREIGN KEY ("lecture_id") REFERENCES "public"."media_lecture"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_comment" ADD CONSTRAINT "media_comment_entry_id_media_contest_entry_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."media_contest_entry"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_comment" ADD CONSTRAINT "media_comment_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_comment_lecture_idx" ON "media_comment" USING btree ("lecture_id","status","created_at");--> statement-breakpoint
CREATE INDEX "media_comment_entry_idx" ON "media_comment" USING btree ("entry_id","status","created_at");--> statement-breakpoint
ALTER TABLE "media_comment" ADD CONSTRAINT "media_comment_one_subject" CHECK (num_nonnulls("media_comment"."article_id", "media_comment"."lecture_id", "media_comment"."entry_id") = 1);
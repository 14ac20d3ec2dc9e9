ALTER TABLE "learn_lesson_record" ADD COLUMN "read_to" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Text lessons completed before reading was tracked (by time alone) count as read to the end.
UPDATE "learn_lesson_record" r SET "read_to" = 100 FROM "learn_lesson" l WHERE l."id" = r."lesson_id" AND l."kind" = 'text' AND r."completed_at" IS NOT NULL;

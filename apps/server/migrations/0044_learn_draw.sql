ALTER TABLE "learn_exam" ADD COLUMN "draw" jsonb;--> statement-breakpoint
ALTER TABLE "learn_question" ADD COLUMN "category" text DEFAULT '其他' NOT NULL;--> statement-breakpoint
CREATE INDEX "learn_question_category_idx" ON "learn_question" USING btree ("tenant_id","category","kind");
ALTER TABLE "learn_attempt" ADD COLUMN "option_orders" jsonb;--> statement-breakpoint
ALTER TABLE "learn_question" ADD COLUMN "difficulty" text DEFAULT '中' NOT NULL;--> statement-breakpoint
ALTER TABLE "learn_question" ADD COLUMN "accepted" jsonb;
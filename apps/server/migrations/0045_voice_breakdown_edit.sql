ALTER TABLE "voice_post" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "voice_post" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "voice_survey_response" ADD COLUMN "unit_org_id" uuid;--> statement-breakpoint
ALTER TABLE "voice_thread" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "voice_thread" ADD COLUMN "withdrawn_at" timestamp with time zone;
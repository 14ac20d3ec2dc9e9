ALTER TABLE "meeting_attendance" ADD COLUMN "hand_raised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD COLUMN "hand_called_at" timestamp with time zone;
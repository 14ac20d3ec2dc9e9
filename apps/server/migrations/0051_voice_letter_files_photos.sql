CREATE TABLE "voice_letter_file" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"letter_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"file_name_enc" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "voice_candidate" ADD COLUMN "photo_key" text;--> statement-breakpoint
ALTER TABLE "voice_candidate" ADD COLUMN "photo_mime" text;--> statement-breakpoint
ALTER TABLE "voice_letter_file" ADD CONSTRAINT "voice_letter_file_letter_id_voice_letter_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."voice_letter"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_letter_file" ADD CONSTRAINT "voice_letter_file_message_id_voice_letter_message_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."voice_letter_message"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "voice_letter_file_idx" ON "voice_letter_file" USING btree ("letter_id","created_at");
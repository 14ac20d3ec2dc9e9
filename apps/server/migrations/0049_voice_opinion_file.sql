CREATE TABLE "voice_opinion_file" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"opinion_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "voice_opinion_file" ADD CONSTRAINT "voice_opinion_file_opinion_id_voice_opinion_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."voice_opinion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "voice_opinion_file_idx" ON "voice_opinion_file" USING btree ("opinion_id");
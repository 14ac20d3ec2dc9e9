CREATE TABLE "voice_attachment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"thread_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_ballot" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"vote_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_candidate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"vote_id" uuid NOT NULL,
	"name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"sort_order" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_code" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"used" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_code_batch" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"survey_id" uuid,
	"count" integer NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_identity" (
	"opinion_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid,
	"name_enc" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_letter" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"position" text NOT NULL,
	"from_user_id" uuid NOT NULL,
	"from_org_id" uuid NOT NULL,
	"from_name" text NOT NULL,
	"subject_enc" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_letter_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"letter_id" uuid NOT NULL,
	"side" text NOT NULL,
	"author_user_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"body_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_mark" (
	"ballot_id" uuid NOT NULL,
	"candidate_id" uuid NOT NULL,
	"vote_id" uuid NOT NULL,
	CONSTRAINT "voice_mark_ballot_id_candidate_id_pk" PRIMARY KEY("ballot_id","candidate_id")
);
--> statement-breakpoint
CREATE TABLE "voice_opinion" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"org_path" text NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"channel" text NOT NULL,
	"anonymous" boolean NOT NULL,
	"author_user_id" uuid,
	"author_org_id" uuid,
	"author_name" text,
	"contact_enc" text,
	"receipt_hash" text,
	"allow_public" boolean NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"handler_user_id" uuid,
	"handler_name" text,
	"submitted_on" date NOT NULL,
	"due_on" date NOT NULL,
	"sort_key" text NOT NULL,
	"answer" text,
	"answered_by" text,
	"answered_on" date,
	"rating" integer,
	"rating_comment" text,
	"rated_on" date,
	"closed_on" date
);
--> statement-breakpoint
CREATE TABLE "voice_opinion_step" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"opinion_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"on" date NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"note" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_post" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"thread_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"body" text NOT NULL,
	"author_user_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"mentions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"hidden_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_setting" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"anonymity" text NOT NULL,
	"answer_days" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_survey" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"org_path" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"anonymous" boolean NOT NULL,
	"audience_roles" jsonb NOT NULL,
	"allow_codes" boolean NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"questions" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_survey_participant" (
	"survey_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	CONSTRAINT "voice_survey_participant_survey_id_user_id_pk" PRIMARY KEY("survey_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "voice_survey_response" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"respondent_user_id" uuid,
	"respondent_name" text,
	"submitted_on" date,
	"answers" jsonb NOT NULL,
	"sort_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_thread" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"author_user_id" uuid NOT NULL,
	"author_name" text NOT NULL,
	"mentions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"locked" boolean DEFAULT false NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"hidden_reason" text,
	"reply_count" integer DEFAULT 0 NOT NULL,
	"last_post_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_vote" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"org_path" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"max_choices" integer NOT NULL,
	"audience_roles" jsonb NOT NULL,
	"visibility" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_voter" (
	"vote_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	CONSTRAINT "voice_voter_vote_id_user_id_pk" PRIMARY KEY("vote_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "voice_attachment" ADD CONSTRAINT "voice_attachment_thread_id_voice_thread_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."voice_thread"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_ballot" ADD CONSTRAINT "voice_ballot_vote_id_voice_vote_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."voice_vote"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_candidate" ADD CONSTRAINT "voice_candidate_vote_id_voice_vote_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."voice_vote"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_code" ADD CONSTRAINT "voice_code_batch_id_voice_code_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."voice_code_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_code_batch" ADD CONSTRAINT "voice_code_batch_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_code_batch" ADD CONSTRAINT "voice_code_batch_survey_id_voice_survey_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."voice_survey"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_identity" ADD CONSTRAINT "voice_identity_opinion_id_voice_opinion_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."voice_opinion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_letter" ADD CONSTRAINT "voice_letter_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_letter" ADD CONSTRAINT "voice_letter_from_user_id_app_user_id_fk" FOREIGN KEY ("from_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_letter_message" ADD CONSTRAINT "voice_letter_message_letter_id_voice_letter_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."voice_letter"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_mark" ADD CONSTRAINT "voice_mark_ballot_id_voice_ballot_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."voice_ballot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_mark" ADD CONSTRAINT "voice_mark_candidate_id_voice_candidate_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."voice_candidate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_opinion" ADD CONSTRAINT "voice_opinion_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_opinion" ADD CONSTRAINT "voice_opinion_author_user_id_app_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_opinion_step" ADD CONSTRAINT "voice_opinion_step_opinion_id_voice_opinion_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."voice_opinion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_post" ADD CONSTRAINT "voice_post_thread_id_voice_thread_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."voice_thread"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_setting" ADD CONSTRAINT "voice_setting_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_survey" ADD CONSTRAINT "voice_survey_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_survey_participant" ADD CONSTRAINT "voice_survey_participant_survey_id_voice_survey_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."voice_survey"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_survey_participant" ADD CONSTRAINT "voice_survey_participant_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_survey_response" ADD CONSTRAINT "voice_survey_response_survey_id_voice_survey_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."voice_survey"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_thread" ADD CONSTRAINT "voice_thread_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_vote" ADD CONSTRAINT "voice_vote_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_voter" ADD CONSTRAINT "voice_voter_vote_id_voice_vote_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."voice_vote"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_voter" ADD CONSTRAINT "voice_voter_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "voice_attachment_thread_idx" ON "voice_attachment" USING btree ("thread_id");--> statement-breakpoint
CREATE INDEX "voice_ballot_vote_idx" ON "voice_ballot" USING btree ("vote_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voice_candidate_name_uq" ON "voice_candidate" USING btree ("vote_id","name");--> statement-breakpoint
CREATE INDEX "voice_code_batch_idx" ON "voice_code" USING btree ("batch_id","used");--> statement-breakpoint
CREATE INDEX "voice_code_batch_org_idx" ON "voice_code_batch" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "voice_letter_from_idx" ON "voice_letter" USING btree ("from_user_id","updated_at");--> statement-breakpoint
CREATE INDEX "voice_letter_to_idx" ON "voice_letter" USING btree ("org_id","position","updated_at");--> statement-breakpoint
CREATE INDEX "voice_letter_message_idx" ON "voice_letter_message" USING btree ("letter_id","created_at");--> statement-breakpoint
CREATE INDEX "voice_mark_vote_idx" ON "voice_mark" USING btree ("vote_id","candidate_id");--> statement-breakpoint
CREATE INDEX "voice_opinion_org_idx" ON "voice_opinion" USING btree ("tenant_id","org_path" text_pattern_ops,"submitted_on","sort_key");--> statement-breakpoint
CREATE INDEX "voice_opinion_author_idx" ON "voice_opinion" USING btree ("author_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voice_opinion_receipt_uq" ON "voice_opinion" USING btree ("receipt_hash") WHERE "voice_opinion"."receipt_hash" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "voice_opinion_step_uq" ON "voice_opinion_step" USING btree ("opinion_id","seq");--> statement-breakpoint
CREATE INDEX "voice_post_thread_idx" ON "voice_post" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE INDEX "voice_survey_org_idx" ON "voice_survey" USING btree ("tenant_id","org_path" text_pattern_ops,"closes_at");--> statement-breakpoint
CREATE INDEX "voice_survey_response_idx" ON "voice_survey_response" USING btree ("survey_id","sort_key");--> statement-breakpoint
CREATE INDEX "voice_thread_org_idx" ON "voice_thread" USING btree ("org_id","pinned","last_post_at");--> statement-breakpoint
CREATE INDEX "voice_vote_org_idx" ON "voice_vote" USING btree ("tenant_id","org_path" text_pattern_ops,"closes_at");
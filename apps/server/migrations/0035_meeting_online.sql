CREATE TABLE "meeting_ballot" (
	"motion_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"choice" text NOT NULL,
	"online" boolean NOT NULL,
	"cast_at" timestamp with time zone NOT NULL,
	CONSTRAINT "meeting_ballot_motion_id_member_id_pk" PRIMARY KEY("motion_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_motion" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"opened_by" uuid,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"tally" jsonb
);
--> statement-breakpoint
CREATE TABLE "meeting_statement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"online" boolean NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meeting" ADD COLUMN "mode" text DEFAULT 'in_person' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting" ADD COLUMN "online_service" text;--> statement-breakpoint
ALTER TABLE "meeting" ADD COLUMN "online_link" text;--> statement-breakpoint
ALTER TABLE "meeting" ADD COLUMN "online_number" text;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD COLUMN "left_early_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD COLUMN "left_early_by" uuid;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD COLUMN "seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meeting_ballot" ADD CONSTRAINT "meeting_ballot_motion_id_meeting_motion_id_fk" FOREIGN KEY ("motion_id") REFERENCES "public"."meeting_motion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_ballot" ADD CONSTRAINT "meeting_ballot_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_motion" ADD CONSTRAINT "meeting_motion_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_statement" ADD CONSTRAINT "meeting_statement_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_statement" ADD CONSTRAINT "meeting_statement_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_statement" ADD CONSTRAINT "meeting_statement_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_motion_meeting_idx" ON "meeting_motion" USING btree ("meeting_id","opened_at");--> statement-breakpoint
CREATE INDEX "meeting_statement_meeting_idx" ON "meeting_statement" USING btree ("meeting_id","created_at");
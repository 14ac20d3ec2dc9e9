CREATE TABLE "meeting" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"location" text NOT NULL,
	"agenda" text,
	"venue_lat" double precision,
	"venue_lng" double precision,
	"venue_radius_m" integer,
	"joint_org_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"speaker" text,
	"topic" text,
	"status" text NOT NULL,
	"plan_key" text,
	"published_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_attendance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"invited" boolean DEFAULT true NOT NULL,
	"response" text DEFAULT 'pending' NOT NULL,
	"leave_reason" text,
	"responded_at" timestamp with time zone,
	"checked_in_at" timestamp with time zone,
	"checkin_method" text,
	"checked_in_by" uuid,
	"late" boolean DEFAULT false NOT NULL,
	"checkin_lat" double precision,
	"checkin_lng" double precision,
	"absent_reason" text,
	"makeup_done_at" timestamp with time zone,
	"makeup_reflection" text
);
--> statement-breakpoint
CREATE TABLE "meeting_file" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_minutes" (
	"meeting_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"host" text NOT NULL,
	"recorder" text NOT NULL,
	"agenda" text DEFAULT '' NOT NULL,
	"content" text NOT NULL,
	"resolutions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"speaker" text,
	"topic" text,
	"speaker_is_secretary" boolean DEFAULT false NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_tally" (
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"month" date NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "meeting_tally_org_id_kind_month_pk" PRIMARY KEY("org_id","kind","month")
);
--> statement-breakpoint
CREATE TABLE "talk" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"talker" text NOT NULL,
	"held_on" date NOT NULL,
	"topic" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendance" ADD CONSTRAINT "meeting_attendance_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_file" ADD CONSTRAINT "meeting_file_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_minutes" ADD CONSTRAINT "meeting_minutes_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_tally" ADD CONSTRAINT "meeting_tally_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk" ADD CONSTRAINT "talk_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk" ADD CONSTRAINT "talk_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_org_starts_idx" ON "meeting" USING btree ("org_id","starts_at");--> statement-breakpoint
CREATE INDEX "meeting_tenant_starts_idx" ON "meeting" USING btree ("tenant_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_plan_uq" ON "meeting" USING btree ("org_id","plan_key") WHERE "meeting"."plan_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_attendance_uq" ON "meeting_attendance" USING btree ("meeting_id","member_id");--> statement-breakpoint
CREATE INDEX "meeting_attendance_member_idx" ON "meeting_attendance" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "meeting_attendance_org_idx" ON "meeting_attendance" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "meeting_file_meeting_idx" ON "meeting_file" USING btree ("meeting_id","created_at");--> statement-breakpoint
CREATE INDEX "meeting_tally_tenant_month_idx" ON "meeting_tally" USING btree ("tenant_id","month");--> statement-breakpoint
CREATE INDEX "talk_org_held_idx" ON "talk" USING btree ("org_id","held_on");--> statement-breakpoint
CREATE INDEX "talk_member_idx" ON "talk" USING btree ("member_id","held_on");
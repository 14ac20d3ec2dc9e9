CREATE TABLE "supervise_rectification" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"source_kind" text NOT NULL,
	"source_ref" text,
	"title" text NOT NULL,
	"finding" text NOT NULL,
	"measures" text NOT NULL,
	"owner_member_id" uuid,
	"deadline" date NOT NULL,
	"verifier_user_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "supervise_rectification_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"note" text,
	"by_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervise_rectification_file" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "supervise_rectification" ADD CONSTRAINT "supervise_rectification_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervise_rectification" ADD CONSTRAINT "supervise_rectification_owner_member_id_member_id_fk" FOREIGN KEY ("owner_member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervise_rectification" ADD CONSTRAINT "supervise_rectification_verifier_user_id_app_user_id_fk" FOREIGN KEY ("verifier_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervise_rectification_event" ADD CONSTRAINT "supervise_rectification_event_item_id_supervise_rectification_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."supervise_rectification"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervise_rectification_file" ADD CONSTRAINT "supervise_rectification_file_item_id_supervise_rectification_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."supervise_rectification"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supervise_rectification_org_idx" ON "supervise_rectification" USING btree ("tenant_id","org_id","status");--> statement-breakpoint
CREATE INDEX "supervise_rectification_owner_idx" ON "supervise_rectification" USING btree ("owner_member_id");--> statement-breakpoint
CREATE INDEX "supervise_rectification_verifier_idx" ON "supervise_rectification" USING btree ("verifier_user_id");--> statement-breakpoint
CREATE INDEX "supervise_rectification_due_idx" ON "supervise_rectification" USING btree ("tenant_id","status","deadline");--> statement-breakpoint
CREATE INDEX "supervise_rectification_event_item_idx" ON "supervise_rectification_event" USING btree ("item_id","at");--> statement-breakpoint
CREATE INDEX "supervise_rectification_file_item_idx" ON "supervise_rectification_file" USING btree ("item_id");
CREATE TABLE "member_flow" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"location" text NOT NULL,
	"since" date NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"last_contact_on" date NOT NULL,
	"ended_on" date
);
--> statement-breakpoint
CREATE TABLE "member_transfer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"from_org_id" uuid NOT NULL,
	"to_org_id" uuid,
	"destination" text,
	"letter_no" text,
	"valid_until" date,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"requested_by" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "member_flow" ADD CONSTRAINT "member_flow_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_transfer" ADD CONSTRAINT "member_transfer_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_transfer" ADD CONSTRAINT "member_transfer_from_org_id_org_id_fk" FOREIGN KEY ("from_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_transfer" ADD CONSTRAINT "member_transfer_to_org_id_org_id_fk" FOREIGN KEY ("to_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_flow_member_idx" ON "member_flow" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "member_transfer_to_idx" ON "member_transfer" USING btree ("to_org_id","status");--> statement-breakpoint
CREATE INDEX "member_transfer_from_idx" ON "member_transfer" USING btree ("from_org_id","status");--> statement-breakpoint
CREATE INDEX "member_transfer_member_idx" ON "member_transfer" USING btree ("member_id");
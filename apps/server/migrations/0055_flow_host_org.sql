ALTER TABLE "meeting_attendance" ADD COLUMN "via_flow" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "member_flow" ADD COLUMN "host_org_id" uuid;--> statement-breakpoint
ALTER TABLE "member_flow" ADD CONSTRAINT "member_flow_host_org_id_org_id_fk" FOREIGN KEY ("host_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_flow_host_idx" ON "member_flow" USING btree ("host_org_id");
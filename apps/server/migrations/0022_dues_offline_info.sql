CREATE TABLE "dues_offline_info" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"collector" text NOT NULL,
	"place" text NOT NULL,
	"time" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dues_offline_info" ADD CONSTRAINT "dues_offline_info_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dues_offline_info_tenant_idx" ON "dues_offline_info" USING btree ("tenant_id");
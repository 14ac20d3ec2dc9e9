CREATE TABLE "member_flow_setting" (
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"contact_every_months" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_flow_setting_tenant_id_org_id_pk" PRIMARY KEY("tenant_id","org_id")
);
--> statement-breakpoint
ALTER TABLE "member_flow_setting" ADD CONSTRAINT "member_flow_setting_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;
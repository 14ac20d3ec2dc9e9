CREATE TABLE "sso_app" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"app_id" text NOT NULL,
	"agent_id" text,
	"corp_id" text,
	"secret_enc" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sso_binding" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"issuer" text NOT NULL,
	"external_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sso_binding" ADD CONSTRAINT "sso_binding_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sso_app_tenant_provider_uq" ON "sso_app" USING btree ("tenant_id","provider");--> statement-breakpoint
CREATE UNIQUE INDEX "sso_binding_external_uq" ON "sso_binding" USING btree ("tenant_id","provider","issuer","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sso_binding_user_provider_uq" ON "sso_binding" USING btree ("user_id","provider");--> statement-breakpoint
CREATE INDEX "sso_binding_tenant_idx" ON "sso_binding" USING btree ("tenant_id");
-- A role's org, and a member's org and account, are in the row's own tenant (issue 26): keys with tenant_id, as
-- Citus needs them between two tables distributed by tenant_id (docs/scale-out.md, "Distribution column"). Each
-- replaces the key on the id alone, which it implies (a null member.user_id is not checked, as before). The targets
-- need a unique (tenant_id, id) first (app_user has one since 0072); drizzle-kit writes the keys before the index
-- they need, which PostgreSQL refuses, so the order is by hand. At 1M members: an index on org (50k rows) and one
-- validating read of member; no table is rewritten.
CREATE UNIQUE INDEX "org_tenant_id_uq" ON "org" USING btree ("tenant_id","id");--> statement-breakpoint
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_org_tenant_fk" FOREIGN KEY ("tenant_id","org_id") REFERENCES "public"."org"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_role" DROP CONSTRAINT "user_role_org_id_org_id_fk";--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_org_tenant_fk" FOREIGN KEY ("tenant_id","org_id") REFERENCES "public"."org"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member" DROP CONSTRAINT "member_org_id_org_id_fk";--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_user_tenant_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member" DROP CONSTRAINT "member_user_id_app_user_id_fk";

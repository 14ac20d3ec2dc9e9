-- A role binding's tenant is its user's tenant (issue 26; platform/access.ts loadBindings reads a user's roles in the
-- user's tenant). The key (tenant_id, user_id) → app_user (tenant_id, id) needs the unique index first; it replaces
-- the key on user_id alone, which it implies (both columns are NOT NULL) and which Citus could not keep between two
-- tables distributed by tenant_id (docs/scale-out.md).
CREATE UNIQUE INDEX "app_user_tenant_id_uq" ON "app_user" USING btree ("tenant_id","id");--> statement-breakpoint
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_user_tenant_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_role" DROP CONSTRAINT "user_role_user_id_app_user_id_fk";

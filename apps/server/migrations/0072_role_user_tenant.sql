-- A role binding's tenant is its user's tenant (issue 26): the index first, as the key needs it.
CREATE UNIQUE INDEX "app_user_tenant_id_uq" ON "app_user" USING btree ("tenant_id","id");--> statement-breakpoint
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_user_tenant_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE no action ON UPDATE no action;

CREATE TABLE "member_lost" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"status" text NOT NULL,
	"last_contact_on" date NOT NULL,
	"circumstances" text NOT NULL,
	"searches" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"suspended_on" date,
	"decision" jsonb,
	"ended_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "member" ADD COLUMN "suspended_on" date;--> statement-breakpoint
ALTER TABLE "member_flow" ADD COLUMN "expected_until" date;--> statement-breakpoint
ALTER TABLE "member_lost" ADD CONSTRAINT "member_lost_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_lost_tenant_idx" ON "member_lost" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "member_lost_open_uq" ON "member_lost" USING btree ("member_id") WHERE "member_lost"."status" in ('lost', 'suspended');--> statement-breakpoint
-- 停止党籍 used to be recorded as an exit (left_reason 'stopped'). It is not one: the member stays, off the roll,
-- and can be restored. Such records become open 停止党籍 episodes dated as the exit was; nothing is deleted.
INSERT INTO "member_lost" ("tenant_id", "member_id", "status", "last_contact_on", "circumstances", "suspended_on", "decision")
SELECT "tenant_id", "id", 'suspended', ("left_at" - interval '6 months')::date, '由旧版「出党：停止党籍（失联）」记录转来，最后联系日期按停止党籍前 6 个月估计', "left_at", jsonb_build_object('migratedFromExit', "left_at"::text)
FROM "member" WHERE "left_reason" = 'stopped' AND "left_at" IS NOT NULL;--> statement-breakpoint
UPDATE "member" SET "suspended_on" = "left_at", "left_at" = NULL, "left_reason" = NULL WHERE "left_reason" = 'stopped';

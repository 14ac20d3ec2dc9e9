ALTER TABLE "talk" ADD COLUMN "talker_member_id" uuid;--> statement-breakpoint
ALTER TABLE "talk" ADD CONSTRAINT "talk_talker_member_id_member_id_fk" FOREIGN KEY ("talker_member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "talk_talker_idx" ON "talk" USING btree ("talker_member_id","held_on");--> statement-breakpoint
-- Talks recorded before the talker was linked: when the talker's name is the name of exactly one linked seat of
-- the talk org's committees (any term), that seat's member is the talker. Other rows stay unlinked (name only).
UPDATE "talk" t SET "talker_member_id" = s."member_id"
FROM (
  SELECT "org_id", "name", min("member_id"::text)::uuid AS "member_id"
  FROM "committee_member" WHERE "member_id" IS NOT NULL
  GROUP BY "org_id", "name" HAVING count(DISTINCT "member_id") = 1
) s
WHERE t."talker_member_id" IS NULL AND s."org_id" = t."org_id" AND s."name" = t."talker";

-- The monthly bill run at 1M members (issue 25): per-row foreign-key checks were ~40 % of it, and a random
-- uuid key made every run write leaf pages all over a primary key that holds years of bills.
-- 1. dues_bill's org/member foreign keys go: the bill run is the table's only writer and takes both ids from the
--    member row it reads; members and orgs are never deleted (they are marked 离开 / 撤销).
-- 2. New bill ids are time-ordered UUIDs (version 7, RFC 9562: 48-bit Unix milliseconds, then 74 random bits),
--    so a run appends to the key's right edge. Existing ids stay as they are.
CREATE FUNCTION xf_uuid7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$;
--> statement-breakpoint
ALTER TABLE "dues_bill" DROP CONSTRAINT "dues_bill_org_id_org_id_fk";
--> statement-breakpoint
ALTER TABLE "dues_bill" DROP CONSTRAINT "dues_bill_member_id_member_id_fk";
--> statement-breakpoint
ALTER TABLE "dues_bill" ALTER COLUMN "id" SET DEFAULT xf_uuid7();

-- dues_bill partitioned by month (issue 25 target 1, issue 26 "partition where the benchmark shows it pays").
-- The monthly run at 1M members wrote five indexes over every bill of every past month; a month's partition keeps
-- the indexes it writes small and cache-resident (measured in docs/benchmarks.md). The table is rebuilt: rename the
-- old one, create the partitioned one with the same columns, indexes and trigger, copy, drop the old.
-- Keys of a partitioned table must contain the partition key, so the primary key becomes (id, month) and
-- dues_payment_bill carries the bill's month to keep its reference checked.
-- There is no default partition: xf_dues_bill_partition(month) makes a month's partition and must run before the
-- month is written (generateBills does; tools/gen and the benches do). A forgotten call fails with "no partition
-- of relation", never puts rows where a later partition could not be attached.

-- 1. The payment ↔ bill link gets the bill's month.
ALTER TABLE "dues_payment_bill" DROP CONSTRAINT "dues_payment_bill_bill_id_dues_bill_id_fk";
--> statement-breakpoint
ALTER TABLE "dues_payment_bill" ADD COLUMN "bill_month" date;
--> statement-breakpoint
UPDATE "dues_payment_bill" pb SET "bill_month" = b."month" FROM "dues_bill" b WHERE b."id" = pb."bill_id";
--> statement-breakpoint
ALTER TABLE "dues_payment_bill" ALTER COLUMN "bill_month" SET NOT NULL;
--> statement-breakpoint
-- A writer of the previous version (a rolling upgrade runs both for a minute) does not send bill_month.
CREATE FUNCTION xf_payment_bill_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.bill_month IS NULL THEN
    SELECT month INTO NEW.bill_month FROM dues_bill WHERE id = NEW.bill_id;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER dues_payment_bill_month BEFORE INSERT ON "dues_payment_bill" FOR EACH ROW EXECUTE FUNCTION xf_payment_bill_month();
--> statement-breakpoint

-- 2. The old table steps aside, its index names freed.
ALTER TABLE "dues_bill" RENAME TO "dues_bill_unpartitioned";
--> statement-breakpoint
ALTER TABLE "dues_bill_unpartitioned" RENAME CONSTRAINT "dues_bill_pkey" TO "dues_bill_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX "dues_bill_member_month_uq" RENAME TO "dues_bill_unpartitioned_member_month_uq";
--> statement-breakpoint
ALTER INDEX "dues_bill_org_month_idx" RENAME TO "dues_bill_unpartitioned_org_month_idx";
--> statement-breakpoint
ALTER INDEX "dues_bill_tenant_month_idx" RENAME TO "dues_bill_unpartitioned_tenant_month_idx";
--> statement-breakpoint
ALTER INDEX "dues_bill_unpaid_idx" RENAME TO "dues_bill_unpartitioned_unpaid_idx";
--> statement-breakpoint

-- 3. The partitioned table, as 0006 + 0066 made it.
CREATE TABLE "dues_bill" (
	"id" uuid DEFAULT xf_uuid7() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"month" date NOT NULL,
	"category" text NOT NULL,
	"base_fen" bigint NOT NULL,
	"rate_bp" integer NOT NULL,
	"standard_fen" bigint NOT NULL,
	"due_fen" bigint NOT NULL,
	"status" text DEFAULT 'unpaid' NOT NULL,
	"exemption_id" uuid,
	"payment_id" uuid,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dues_bill_id_month_pk" PRIMARY KEY("id","month")
) PARTITION BY RANGE ("month");
--> statement-breakpoint
CREATE UNIQUE INDEX "dues_bill_member_month_uq" ON "dues_bill" USING btree ("member_id","month");
--> statement-breakpoint
CREATE INDEX "dues_bill_org_month_idx" ON "dues_bill" USING btree ("org_id","month","status");
--> statement-breakpoint
CREATE INDEX "dues_bill_tenant_month_idx" ON "dues_bill" USING btree ("tenant_id","month");
--> statement-breakpoint
CREATE INDEX "dues_bill_unpaid_idx" ON "dues_bill" USING btree ("member_id","month") WHERE "dues_bill"."status" = 'unpaid';
--> statement-breakpoint
CREATE TRIGGER dues_bill_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "dues_bill" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('dues');
--> statement-breakpoint

-- 4. A month's partition, made once: an empty table attached with ATTACH PARTITION, which locks the parent only
-- in SHARE UPDATE EXCLUSIVE mode (readers and writers of other months go on). Concurrent callers serialize on an
-- advisory lock and the second finds the partition made.
CREATE FUNCTION xf_dues_bill_partition(m date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lo date := date_trunc('month', m)::date;
  part text := 'dues_bill_' || to_char(lo, 'YYYYMM');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('xf_dues_bill_partition', 0));
  IF to_regclass(part) IS NOT NULL THEN RETURN; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE dues_bill INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
  EXECUTE format('ALTER TABLE dues_bill ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, (lo + interval '1 month')::date);
END $$;
--> statement-breakpoint

-- 5. Copy, then the old table goes.
SELECT xf_dues_bill_partition(m) FROM (SELECT DISTINCT "month" AS m FROM "dues_bill_unpartitioned") months;
--> statement-breakpoint
INSERT INTO "dues_bill" SELECT "id", "tenant_id", "org_id", "member_id", "month", "category", "base_fen", "rate_bp", "standard_fen", "due_fen", "status", "exemption_id", "payment_id", "paid_at", "created_at" FROM "dues_bill_unpartitioned";
--> statement-breakpoint
DROP TABLE "dues_bill_unpartitioned";
--> statement-breakpoint
ALTER TABLE "dues_payment_bill" ADD CONSTRAINT "dues_payment_bill_bill_id_bill_month_dues_bill_id_month_fk" FOREIGN KEY ("bill_id","bill_month") REFERENCES "public"."dues_bill"("id","month") ON DELETE no action ON UPDATE no action;

-- The change feed's counters, sharded (issue 25 item 6). A topic had one row, bumped by a statement trigger in the
-- writing transaction: its row lock was held from the transaction's first write of the topic to its commit, so
-- concurrent writers of one topic (payments, learning records) queued behind each other even when they touched
-- different rows. Now a topic has up to 16 rows, one per shard = the backend's pid mod 16: transactions on
-- different connections bump different rows, and one shard's versions still commit in order (its row lock).
-- A topic's version is the sum of its shards (platform/cache.ts); it grows with every bump of any shard.
ALTER TABLE "data_version" ADD COLUMN "shard" smallint NOT NULL DEFAULT 0;
--> statement-breakpoint
ALTER TABLE "data_version" DROP CONSTRAINT "data_version_pkey";
--> statement-breakpoint
ALTER TABLE "data_version" ADD PRIMARY KEY ("topic", "shard");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION xf_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s smallint := pg_backend_pid() % 16;
  v bigint;
BEGIN
  INSERT INTO data_version AS d (topic, shard, version) VALUES (TG_ARGV[0], s, 1)
    ON CONFLICT (topic, shard) DO UPDATE SET version = d.version + 1
    RETURNING d.version INTO v;
  PERFORM pg_notify('xf_data_version', TG_ARGV[0] || '/' || s || ':' || v);
  RETURN NULL;
END $$;

-- The monthly bill run loads a NEW month into a bare table and builds its indexes once at the end (issue 25 target 1).
-- With 0070 a month's partition was made empty and attached first, so the run wrote every bill into five B-trees as
-- it went (4M index insertions at 1M members, two of them at random places). Now, when the run finds no partition
-- for its month, it makes the month's table unattached and without indexes, inserts the chunks into it (each chunk
-- its own committed transaction, as before), then in one short transaction builds the indexes by sorting and
-- attaches the table. Until then readers see no bill of that month (as before the run), and a crash leaves the
-- unattached table with the chunks that committed: the requeued run finds it and goes on (below).
-- When the month's partition is already attached (a rerun, a subtree run after another, a member joining later)
-- the run takes the indexed path with ON CONFLICT (member_id, month) DO NOTHING, as before.
-- CREATE OR REPLACE throughout: this file may run again on a database that had it before its journal time moved.

-- The name of a month's table (as 0070 names it).
CREATE OR REPLACE FUNCTION xf_dues_bill_part(m date) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT 'dues_bill_' || to_char(m, 'YYYYMM')
$$;
--> statement-breakpoint

-- The unique (member_id, month) index of a month's table, named as ATTACH PARTITION names it (the partitions made by
-- 0070). Two bills of one member can only be there when a member moved between orgs of two chunks during the load,
-- or two runs of the month loaded at once before either had this index: the first bill (smallest key) stays.
CREATE OR REPLACE FUNCTION xf_dues_bill_unique(m date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  part text := xf_dues_bill_part(m);
BEGIN
  EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON %I (member_id, month)', part || '_member_id_month_idx', part);
EXCEPTION WHEN unique_violation THEN
  EXECUTE format('DELETE FROM %I a USING %I b WHERE a.member_id = b.member_id AND a.id > b.id', part, part);
  EXECUTE format('CREATE UNIQUE INDEX %I ON %I (member_id, month)', part || '_member_id_month_idx', part);
END $$;
--> statement-breakpoint

-- All the indexes of a month's table, built by sorting what it holds.
CREATE OR REPLACE FUNCTION xf_dues_bill_index(m date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  part text := xf_dues_bill_part(m);
BEGIN
  PERFORM xf_dues_bill_unique(m);
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(part) AND contype = 'p') THEN
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (id, month)', part, part || '_pkey');
  END IF;
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (org_id, month, status)', part || '_org_id_month_status_idx', part);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (tenant_id, month)', part || '_tenant_id_month_idx', part);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (member_id, month) WHERE status = %L', part || '_member_id_month_idx1', part, 'unpaid');
END $$;
--> statement-breakpoint

-- Builds a loaded month table's indexes and attaches it; then bumps the change feed's 'dues' topic (rows written
-- into the table by name fire no statement trigger of dues_bill). The index builds lock only the month's table;
-- the attach, last, takes dues_bill in SHARE UPDATE EXCLUSIVE mode (readers and writers of other months go on)
-- and finds the indexes made, so the locks on the parent last only until the commit right after.
CREATE OR REPLACE FUNCTION xf_dues_bill_attach(m date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lo date := date_trunc('month', m)::date;
  part text := xf_dues_bill_part(m);
  s smallint := pg_backend_pid() % 16;
  v bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('xf_dues_bill_partition', 0));
  IF to_regclass(part) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(part)) THEN
    PERFORM xf_dues_bill_index(lo);
    EXECUTE format('ALTER TABLE dues_bill ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, (lo + interval '1 month')::date);
  END IF;
  -- As xf_bump_data_version (0067) does for a statement on dues_bill.
  INSERT INTO data_version AS d (topic, shard, version) VALUES ('dues', s, 1)
    ON CONFLICT (topic, shard) DO UPDATE SET version = d.version + 1
    RETURNING d.version INTO v;
  PERFORM pg_notify('xf_data_version', 'dues/' || s || ':' || v);
END $$;
--> statement-breakpoint

-- The bill run's start: true = load into the month's unattached table by name, false = the month is attached (the
-- indexed path). A table left by an interrupted load (or being loaded by another run of the month) gets its unique
-- index first, so the chunks' ON CONFLICT DO NOTHING skips the members it already holds. A new table gets a CHECK of
-- its range, which lets ATTACH PARTITION skip its validating scan.
CREATE OR REPLACE FUNCTION xf_dues_bill_load_begin(m date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  lo date := date_trunc('month', m)::date;
  part text := xf_dues_bill_part(m);
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('xf_dues_bill_partition', 0));
  IF to_regclass(part) IS NULL THEN
    EXECUTE format('CREATE TABLE %I (LIKE dues_bill INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (month >= %L AND month < %L))',
      part, part || '_month_check', lo, (lo + interval '1 month')::date);
    RETURN true;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(part)) THEN RETURN false; END IF;
  PERFORM xf_dues_bill_unique(lo);
  RETURN true;
END $$;
--> statement-breakpoint

-- Every other writer: the month's partition exists and is attached afterwards. A month table still being loaded
-- is finished (indexed and attached) at once; the run loading it goes on through the indexes.
CREATE OR REPLACE FUNCTION xf_dues_bill_partition(m date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lo date := date_trunc('month', m)::date;
  part text := xf_dues_bill_part(m);
BEGIN
  IF EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(part)) THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('xf_dues_bill_partition', 0));
  IF to_regclass(part) IS NOT NULL THEN
    PERFORM xf_dues_bill_attach(lo);
    RETURN;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE dues_bill INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
  EXECUTE format('ALTER TABLE dues_bill ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, (lo + interval '1 month')::date);
END $$;

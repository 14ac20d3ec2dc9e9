-- Roster search at scale (issue #8): name substrings as an indexed array, and the org path on member.
-- The 1- and 2-character substrings of a name, ASCII letters folded (translate, not lower(), so the
-- result does not depend on the database locale: PGlite runs C, PostgreSQL may not). Immutable, so it
-- can back a generated column; union all, not distinct: GIN stores each key once anyway.
CREATE FUNCTION member_name_grams(n text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  select array(
    select substr(f, i, 1) from generate_series(1, char_length(f)) i
    union all
    select substr(f, i, 2) from generate_series(1, char_length(f) - 1) i)
  from (select translate(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') as f) s
$$;--> statement-breakpoint
ALTER TABLE "member" ADD COLUMN "org_path" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "member" ADD COLUMN "name_grams" text[] GENERATED ALWAYS AS (member_name_grams(name)) STORED NOT NULL;--> statement-breakpoint
UPDATE "member" m SET org_path = o.path FROM org o WHERE o.id = m.org_id;--> statement-breakpoint
-- member.org_path follows org_id on every insert and transfer, whoever writes the row. coalesce: an
-- unknown org_id must still fail on the foreign key, with its own error.
CREATE FUNCTION member_org_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.org_path := coalesce((SELECT path FROM org WHERE id = NEW.org_id), '');
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER member_org_path BEFORE INSERT OR UPDATE OF org_id ON member
  FOR EACH ROW EXECUTE FUNCTION member_org_path();--> statement-breakpoint
-- An org's new path (a move rewrites every descendant's) reaches its members in the same statement.
CREATE FUNCTION org_path_to_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE member SET org_path = NEW.path WHERE org_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER org_path_to_members AFTER UPDATE OF path ON org
  FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION org_path_to_members();--> statement-breakpoint
CREATE INDEX "member_roster_idx" ON "member" USING btree ("org_path" collate "C","name" collate "C","id");--> statement-breakpoint
CREATE INDEX "member_name_grams_idx" ON "member" USING gin ("name_grams");

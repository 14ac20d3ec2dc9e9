-- Exact member statistics at any org without scanning its subtree (issue 25 target 3, docs/adr/0002).
-- member_tally(tenant, path, dim, key, n): for every ancestor path of an on-roll member's org (the org itself up to
-- the root, read off member.org_path), the members per dimension key. Keyed by the ancestor's *path*, not its id, so the
-- tally is a function of the member rows alone: an org move or merge rewrites member.org_path (org_path_to_members) and
-- the same triggers move the counts from the old ancestors to the new ones, in the move's transaction.
-- Date dimensions are keyed by the date (birth: birth_date; party: the 党龄 start, full_at or the end of probation, or
-- 'none' for a member not full), so any day's age and 党龄 bands are range sums. Members off the roll (停止党籍) count
-- only under dim 'suspended'; members who left count nowhere.
-- Writers never update member_tally: statement-level triggers with transition tables append one grouped row per
-- (tenant, ancestor path, dim, key) and statement to member_tally_delta; a job (member.tally.fold) folds them into the
-- base. A read is base + deltas for one path.
CREATE TABLE "member_tally" (
	"tenant_id" uuid NOT NULL,
	"path" text NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "member_tally_pk" PRIMARY KEY("tenant_id","path","dim","key") INCLUDE ("n")
);--> statement-breakpoint
-- Rows a fold brought to zero (moved or emptied orgs, dates no member has any more): the next fold deletes them.
CREATE INDEX "member_tally_zero_idx" ON "member_tally" USING btree ("tenant_id") WHERE "n" = 0;--> statement-breakpoint
CREATE TABLE "member_tally_delta" (
	"tenant_id" uuid NOT NULL,
	"path" text NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL
);--> statement-breakpoint
CREATE INDEX "member_tally_delta_path_idx" ON "member_tally_delta" USING btree ("tenant_id","path");--> statement-breakpoint
-- One member's tally facts (dim, key), nothing for a member who left; and the '/'-ended prefixes of an org path (the
-- org and its ancestors). Keys of dates are 'YYYY-MM-DD' whatever the DateStyle. The 党龄 start is
-- member.partyAgeFrom's rule: full_at, or one year after joined_at by the anniversary rule (02-29 → 03-01, as
-- member/annual.ts anniversarySql).
CREATE FUNCTION member_tally_facts(status text, gender text, ethnicity text, education text, occupation text,
  birth_date date, joined_at date, full_at date, left_at date, suspended_on date)
  RETURNS TABLE(dim text, key text) LANGUAGE sql STABLE PARALLEL SAFE AS $$
  select v.dim, v.key from (values
    ('status', status),
    ('gender', gender),
    ('ethnic', case when ethnicity = '汉族' then '汉族' else '少数民族' end),
    ('education', coalesce(education, '未填')),
    ('occupation', coalesce(occupation, '未填')),
    ('birth', to_char(birth_date, 'YYYY-MM-DD')),
    ('party', case when status = 'full' then to_char(coalesce(full_at,
      ((joined_at + make_interval(years => 1))::date
        + case when extract(day from (joined_at + make_interval(years => 1))::date) <> extract(day from joined_at)
               then 1 else 0 end)::date), 'YYYY-MM-DD') else 'none' end)
  ) v(dim, key)
  where left_at is null and suspended_on is null
  union all
  select 'suspended', '' where left_at is null and suspended_on is not null
$$;--> statement-breakpoint
CREATE FUNCTION member_tally_ancestors(p text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  select left(p, i) from generate_series(2, length(p)) i where substr(p, i, 1) = '/'
$$;--> statement-breakpoint
-- The delta of one statement on member: +1 per key of each new row, −1 per key of each old row, grouped; an update
-- that changes nothing counted (a name, a phone, a login) appends nothing.
CREATE FUNCTION member_tally_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO member_tally_delta (tenant_id, path, dim, key, n)
    SELECT m.tenant_id, a.path, k.dim, k.key, count(*)::int
    FROM xf_new m, member_tally_facts(m.status, m.gender, m.ethnicity, m.education, m.occupation,
      m.birth_date, m.joined_at, m.full_at, m.left_at, m.suspended_on) k, member_tally_ancestors(m.org_path) a(path)
    GROUP BY 1, 2, 3, 4;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO member_tally_delta (tenant_id, path, dim, key, n)
    SELECT m.tenant_id, a.path, k.dim, k.key, -count(*)::int
    FROM xf_old m, member_tally_facts(m.status, m.gender, m.ethnicity, m.education, m.occupation,
      m.birth_date, m.joined_at, m.full_at, m.left_at, m.suspended_on) k, member_tally_ancestors(m.org_path) a(path)
    GROUP BY 1, 2, 3, 4;
  ELSE
    -- Old and new version of each row paired by id: only rows whose counted columns changed are spread (a bulk update
    -- of other columns costs a join, not 2 × keys × ancestors rows per member). A full join keeps a changed id right.
    INSERT INTO member_tally_delta (tenant_id, path, dim, key, n)
    SELECT c.tenant_id, a.path, k.dim, k.key, sum(c.s)::int
    FROM (
      SELECT x.*
      FROM xf_new n FULL JOIN xf_old o ON o.id = n.id
      CROSS JOIN LATERAL (VALUES
        (1, n.tenant_id, n.org_path, n.status, n.gender, n.ethnicity, n.education, n.occupation, n.birth_date, n.joined_at, n.full_at, n.left_at, n.suspended_on),
        (-1, o.tenant_id, o.org_path, o.status, o.gender, o.ethnicity, o.education, o.occupation, o.birth_date, o.joined_at, o.full_at, o.left_at, o.suspended_on)
      ) x(s, tenant_id, org_path, status, gender, ethnicity, education, occupation, birth_date, joined_at, full_at, left_at, suspended_on)
      WHERE x.tenant_id IS NOT NULL
        AND (n.id IS NULL OR o.id IS NULL
          OR (n.org_path, n.status, n.gender, n.ethnicity, n.education, n.occupation, n.birth_date, n.joined_at, n.full_at, n.left_at, n.suspended_on)
             IS DISTINCT FROM (o.org_path, o.status, o.gender, o.ethnicity, o.education, o.occupation, o.birth_date, o.joined_at, o.full_at, o.left_at, o.suspended_on))
    ) c, member_tally_facts(c.status, c.gender, c.ethnicity, c.education, c.occupation,
      c.birth_date, c.joined_at, c.full_at, c.left_at, c.suspended_on) k, member_tally_ancestors(c.org_path) a(path)
    GROUP BY 1, 2, 3, 4
    HAVING sum(c.s) <> 0;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER member_tally_insert AFTER INSERT ON "member" REFERENCING NEW TABLE AS xf_new
  FOR EACH STATEMENT EXECUTE FUNCTION member_tally_capture();--> statement-breakpoint
CREATE TRIGGER member_tally_update AFTER UPDATE ON "member" REFERENCING OLD TABLE AS xf_old NEW TABLE AS xf_new
  FOR EACH STATEMENT EXECUTE FUNCTION member_tally_capture();--> statement-breakpoint
CREATE TRIGGER member_tally_delete AFTER DELETE ON "member" REFERENCING OLD TABLE AS xf_old
  FOR EACH STATEMENT EXECUTE FUNCTION member_tally_capture();--> statement-breakpoint
CREATE FUNCTION member_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM member_tally_delta;
  DELETE FROM member_tally;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER member_tally_truncate AFTER TRUNCATE ON "member" FOR EACH STATEMENT EXECUTE FUNCTION member_tally_truncate();--> statement-breakpoint
-- (The primary key carries n: a read is an index-only scan where the pages are all-visible.)
-- A tenant's tally recounted from its members (the generator, which bulk-loads with triggers off, calls it; so may an
-- operator). Counted per org path first, then spread to the ancestors: far fewer rows to spread than members.
CREATE FUNCTION member_tally_rebuild(t uuid) RETURNS void LANGUAGE sql AS $$
  DELETE FROM member_tally_delta WHERE tenant_id = t;
  DELETE FROM member_tally WHERE tenant_id = t;
  INSERT INTO member_tally (tenant_id, path, dim, key, n)
  SELECT t, a.path, g.dim, g.key, sum(g.n)::int
  FROM (
    SELECT m.org_path, k.dim, k.key, count(*) AS n
    FROM member m, member_tally_facts(m.status, m.gender, m.ethnicity, m.education, m.occupation,
      m.birth_date, m.joined_at, m.full_at, m.left_at, m.suspended_on) k
    WHERE m.tenant_id = t AND m.left_at IS NULL
    GROUP BY 1, 2, 3
  ) g, member_tally_ancestors(g.org_path) a(path)
  GROUP BY 1, 2, 3, 4
  -- In key order: one org's rows share pages (a top read touched 9,317 pages for 14,473 rows in insertion order).
  ORDER BY 2, 3, 4;
$$;--> statement-breakpoint
SELECT member_tally_rebuild(id) FROM tenant;

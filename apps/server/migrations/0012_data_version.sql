-- The change feed behind platform/cache.ts: one version counter per topic, bumped by statement-level
-- triggers in the writing transaction and announced with NOTIFY (delivered at commit, in commit order).
-- To add a topic: one CREATE TRIGGER line like those below (in a new migration) naming the table and the
-- topic, and the topic's name in TOPICS in platform/cache.ts.
CREATE TABLE "data_version" (
	"topic" text PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "data_version" ("topic", "version") VALUES ('auth', 0), ('org', 0), ('member', 0);
--> statement-breakpoint
CREATE FUNCTION xf_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
  INSERT INTO data_version AS d (topic, version) VALUES (TG_ARGV[0], 1)
    ON CONFLICT (topic) DO UPDATE SET version = d.version + 1
    RETURNING d.version INTO v;
  PERFORM pg_notify('xf_data_version', TG_ARGV[0] || ':' || v);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- auth: who is signed in and with which roles. Not session INSERT (logins) nor UPDATE (the once-a-minute
-- last_seen_at touch): neither can make a cached principal wrong, and both are frequent.
CREATE TRIGGER session_data_version AFTER DELETE OR TRUNCATE ON "session" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('auth');
--> statement-breakpoint
CREATE TRIGGER app_user_data_version AFTER UPDATE OR DELETE OR TRUNCATE ON "app_user" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('auth');
--> statement-breakpoint
CREATE TRIGGER user_role_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "user_role" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('auth');
--> statement-breakpoint
CREATE TRIGGER org_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "org" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('org');
--> statement-breakpoint
CREATE TRIGGER member_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "member" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('member');

-- Change-feed topics for 决策参考 (stats/attention.ts), which is now kept on the result cache: every table it reads must
-- bump a topic, or a fixed problem would stay listed. 失联 registrations count as member data; terms as org data; a
-- member's last activity (written per outbox batch) gets its own topic so that signing in does not invalidate every
-- member figure. See 0012_data_version.sql.
INSERT INTO "data_version" ("topic", "shard", "version") VALUES ('activity', 0, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER member_lost_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "member_lost" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('member');
--> statement-breakpoint
CREATE TRIGGER org_term_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "org_term" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('org');
--> statement-breakpoint
CREATE TRIGGER member_activity_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "member_activity" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('activity');

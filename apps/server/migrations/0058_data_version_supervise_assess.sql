-- Change-feed topics for the dashboard (驾驶舱) parts of supervise (整改 items: status, deadline, org) and assess
-- (plans and their units: publishing, totals). See 0012_data_version.sql and platform/module.ts `dashboard`.
INSERT INTO "data_version" ("topic", "version") VALUES ('supervise', 0), ('assess', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER supervise_rectification_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "supervise_rectification" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('supervise');
--> statement-breakpoint
CREATE TRIGGER assess_plan_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "assess_plan" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('assess');
--> statement-breakpoint
CREATE TRIGGER assess_unit_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "assess_unit" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('assess');

-- Change-feed topic for the 驾驶舱's 思想汇报 part (reports and the branches' 流动党员 cadence). See
-- 0012_data_version.sql and platform/module.ts `dashboard`.
INSERT INTO "data_version" ("topic", "version") VALUES ('thought', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER thought_report_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "thought_report" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('thought');
--> statement-breakpoint
CREATE TRIGGER thought_setting_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "thought_setting" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('thought');

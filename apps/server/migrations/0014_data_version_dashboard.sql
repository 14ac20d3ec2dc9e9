-- Change-feed topics for the dashboard (驾驶舱) parts: meeting (its monthly counters), dues (bills and
-- payments), develop (development records and their steps). See 0012_data_version.sql.
INSERT INTO "data_version" ("topic", "version") VALUES ('meeting', 0), ('dues', 0), ('develop', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER meeting_tally_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "meeting_tally" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('meeting');
--> statement-breakpoint
CREATE TRIGGER dues_bill_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "dues_bill" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('dues');
--> statement-breakpoint
CREATE TRIGGER dues_payment_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "dues_payment" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('dues');
--> statement-breakpoint
CREATE TRIGGER develop_person_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "develop_person" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('develop');
--> statement-breakpoint
CREATE TRIGGER develop_step_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "develop_step" FOR EACH STATEMENT EXECUTE FUNCTION xf_bump_data_version('develop');

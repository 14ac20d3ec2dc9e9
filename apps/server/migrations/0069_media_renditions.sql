-- Phone renditions and poster frames of learning videos (issue #18): a rendition or poster row points at the original
-- video it was made from (one of each per original); an original records the job that makes them.
ALTER TABLE "learn_file" ADD COLUMN "source_id" uuid;--> statement-breakpoint
ALTER TABLE "learn_file" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "learn_file" ADD CONSTRAINT "learn_file_source_id_learn_file_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."learn_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "learn_file_source_role_idx" ON "learn_file" USING btree ("source_id","role") WHERE "learn_file"."source_id" is not null;

CREATE TABLE "volunteer_year_certificate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"serial" text NOT NULL,
	"signups" jsonb NOT NULL,
	"minutes" integer NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "volunteer_year_certificate" ADD CONSTRAINT "volunteer_year_certificate_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_year_certificate_serial_uq" ON "volunteer_year_certificate" USING btree ("serial");--> statement-breakpoint
CREATE INDEX "volunteer_year_certificate_member_idx" ON "volunteer_year_certificate" USING btree ("tenant_id","member_id","year");
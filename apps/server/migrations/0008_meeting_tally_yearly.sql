CREATE TABLE "meeting_tally" (
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"m1" integer DEFAULT 0 NOT NULL,
	"m2" integer DEFAULT 0 NOT NULL,
	"m3" integer DEFAULT 0 NOT NULL,
	"m4" integer DEFAULT 0 NOT NULL,
	"m5" integer DEFAULT 0 NOT NULL,
	"m6" integer DEFAULT 0 NOT NULL,
	"m7" integer DEFAULT 0 NOT NULL,
	"m8" integer DEFAULT 0 NOT NULL,
	"m9" integer DEFAULT 0 NOT NULL,
	"m10" integer DEFAULT 0 NOT NULL,
	"m11" integer DEFAULT 0 NOT NULL,
	"m12" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "meeting_tally_org_id_kind_year_pk" PRIMARY KEY("org_id","kind","year")
);
--> statement-breakpoint
ALTER TABLE "meeting_tally" ADD CONSTRAINT "meeting_tally_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_tally_tenant_year_idx" ON "meeting_tally" USING btree ("tenant_id","year");
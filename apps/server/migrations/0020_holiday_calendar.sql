CREATE TABLE "holiday_year" (
	"tenant_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"holidays" jsonb NOT NULL,
	"workdays" jsonb NOT NULL,
	"source" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "holiday_year_tenant_id_year_pk" PRIMARY KEY("tenant_id","year")
);

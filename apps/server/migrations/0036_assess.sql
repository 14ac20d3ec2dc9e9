CREATE TABLE "assess_file" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assess_indicator" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"method" text NOT NULL,
	"source" text,
	"max_score" numeric NOT NULL,
	"unit" text,
	"target" numeric,
	"higher_better" boolean DEFAULT true NOT NULL,
	"description" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assess_plan" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"year" integer NOT NULL,
	"quarter" integer,
	"items" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assess_unit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"parent_id" uuid NOT NULL,
	"self" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"self_by" text,
	"self_at" timestamp with time zone,
	"review" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"review_by" text,
	"review_user_id" uuid,
	"review_at" timestamp with time zone,
	"kpi" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"auto" jsonb,
	"total" numeric,
	"rank" integer,
	"peers" integer,
	"appeal_reason" text,
	"appeal_by" text,
	"appeal_user_id" uuid,
	"appeal_at" timestamp with time zone,
	"appeal_answer" text,
	"answered_by" text,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "assess_file" ADD CONSTRAINT "assess_file_unit_id_assess_unit_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."assess_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assess_indicator" ADD CONSTRAINT "assess_indicator_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assess_plan" ADD CONSTRAINT "assess_plan_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assess_unit" ADD CONSTRAINT "assess_unit_plan_id_assess_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."assess_plan"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assess_unit" ADD CONSTRAINT "assess_unit_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assess_unit" ADD CONSTRAINT "assess_unit_parent_id_org_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assess_file_unit_idx" ON "assess_file" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "assess_indicator_org_idx" ON "assess_indicator" USING btree ("tenant_id","org_id");--> statement-breakpoint
CREATE INDEX "assess_plan_org_idx" ON "assess_plan" USING btree ("tenant_id","org_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "assess_unit_plan_org" ON "assess_unit" USING btree ("plan_id","org_id");--> statement-breakpoint
CREATE INDEX "assess_unit_org_idx" ON "assess_unit" USING btree ("tenant_id","org_id");--> statement-breakpoint
CREATE INDEX "assess_unit_appeal_idx" ON "assess_unit" USING btree ("appeal_user_id") WHERE "assess_unit"."appeal_user_id" is not null;
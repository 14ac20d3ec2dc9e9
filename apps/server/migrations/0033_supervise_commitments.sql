CREATE TABLE "supervise_commitment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid,
	"year" integer NOT NULL,
	"items" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rating" text,
	"review_comment" text,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "supervise_commitment_file" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"commitment_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervise_commitment_progress" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commitment_id" uuid NOT NULL,
	"item_index" integer NOT NULL,
	"percent" integer NOT NULL,
	"note" text NOT NULL,
	"by_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "supervise_commitment" ADD CONSTRAINT "supervise_commitment_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervise_commitment" ADD CONSTRAINT "supervise_commitment_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervise_commitment_file" ADD CONSTRAINT "supervise_commitment_file_commitment_id_supervise_commitment_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."supervise_commitment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervise_commitment_progress" ADD CONSTRAINT "supervise_commitment_progress_commitment_id_supervise_commitment_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."supervise_commitment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supervise_commitment_org_idx" ON "supervise_commitment" USING btree ("tenant_id","org_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "supervise_commitment_member_year" ON "supervise_commitment" USING btree ("member_id","year") WHERE "supervise_commitment"."member_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "supervise_commitment_org_year" ON "supervise_commitment" USING btree ("org_id","year") WHERE "supervise_commitment"."member_id" is null;--> statement-breakpoint
CREATE INDEX "supervise_commitment_file_idx" ON "supervise_commitment_file" USING btree ("commitment_id");--> statement-breakpoint
CREATE INDEX "supervise_commitment_progress_idx" ON "supervise_commitment_progress" USING btree ("commitment_id","at");
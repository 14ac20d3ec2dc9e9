CREATE TABLE "hardship_case" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"level" text NOT NULL,
	"situation_enc" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hardship_visit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"visited_on" text NOT NULL,
	"visitors" text NOT NULL,
	"help" text NOT NULL,
	"amount_fen" integer DEFAULT 0 NOT NULL,
	"note_enc" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hardship_case" ADD CONSTRAINT "hardship_case_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hardship_case" ADD CONSTRAINT "hardship_case_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hardship_visit" ADD CONSTRAINT "hardship_visit_case_id_hardship_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."hardship_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hardship_case_org_idx" ON "hardship_case" USING btree ("tenant_id","org_id","created_at");--> statement-breakpoint
CREATE INDEX "hardship_visit_case_idx" ON "hardship_visit" USING btree ("case_id","visited_on");
CREATE TABLE "dues_base" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"effective_from" date NOT NULL,
	"category" text NOT NULL,
	"monthly_base_fen" bigint NOT NULL,
	"rate_bp" integer NOT NULL,
	"monthly_fen" bigint NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_bill" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"month" date NOT NULL,
	"category" text NOT NULL,
	"base_fen" bigint NOT NULL,
	"rate_bp" integer NOT NULL,
	"standard_fen" bigint NOT NULL,
	"due_fen" bigint NOT NULL,
	"status" text DEFAULT 'unpaid' NOT NULL,
	"exemption_id" uuid,
	"payment_id" uuid,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_correction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"proposed_base_fen" bigint NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_exemption" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"from_month" date NOT NULL,
	"to_month" date NOT NULL,
	"reduced_fen" bigint NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" uuid,
	"requested_by_name" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_notify_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid,
	"provider" text NOT NULL,
	"out_trade_no" text,
	"notify_id" text,
	"verdict" text NOT NULL,
	"detail" text,
	"amount_fen" bigint,
	"remote_address" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_payment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"trade_type" text,
	"out_trade_no" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"extra_fen" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"provider_trade_no" text,
	"paid_at" timestamp with time zone,
	"receipt_no" text,
	"reference" text,
	"note" text,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_payment_bill" (
	"payment_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "dues_payment_bill_payment_id_bill_id_pk" PRIMARY KEY("payment_id","bill_id")
);
--> statement-breakpoint
CREATE TABLE "dues_reminder" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"sent_on" date NOT NULL,
	"unpaid_months" integer NOT NULL,
	"owed_fen" bigint NOT NULL,
	"level" text NOT NULL,
	"sent_by" text,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dues_remittance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"to_org_id" uuid,
	"period_month" date NOT NULL,
	"amount_fen" bigint NOT NULL,
	"remitted_on" date NOT NULL,
	"note" text,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_setting" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"farmer_monthly_fen" integer NOT NULL,
	"max_prepay_months" integer NOT NULL,
	"retired_base" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"spent_on" date NOT NULL,
	"amount_fen" bigint NOT NULL,
	"purpose" text NOT NULL,
	"note" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" uuid,
	"requested_by_name" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dues_base" ADD CONSTRAINT "dues_base_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_base" ADD CONSTRAINT "dues_base_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_bill" ADD CONSTRAINT "dues_bill_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_bill" ADD CONSTRAINT "dues_bill_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_correction" ADD CONSTRAINT "dues_correction_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_correction" ADD CONSTRAINT "dues_correction_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_exemption" ADD CONSTRAINT "dues_exemption_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_exemption" ADD CONSTRAINT "dues_exemption_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payment" ADD CONSTRAINT "dues_payment_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payment" ADD CONSTRAINT "dues_payment_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payment_bill" ADD CONSTRAINT "dues_payment_bill_payment_id_dues_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."dues_payment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payment_bill" ADD CONSTRAINT "dues_payment_bill_bill_id_dues_bill_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."dues_bill"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_reminder" ADD CONSTRAINT "dues_reminder_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_reminder" ADD CONSTRAINT "dues_reminder_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_remittance" ADD CONSTRAINT "dues_remittance_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_remittance" ADD CONSTRAINT "dues_remittance_to_org_id_org_id_fk" FOREIGN KEY ("to_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_usage" ADD CONSTRAINT "dues_usage_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dues_base_member_month_uq" ON "dues_base" USING btree ("member_id","effective_from");--> statement-breakpoint
CREATE INDEX "dues_base_org_idx" ON "dues_base" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dues_bill_member_month_uq" ON "dues_bill" USING btree ("member_id","month");--> statement-breakpoint
CREATE INDEX "dues_bill_org_month_idx" ON "dues_bill" USING btree ("org_id","month","status");--> statement-breakpoint
CREATE INDEX "dues_bill_tenant_month_idx" ON "dues_bill" USING btree ("tenant_id","month");--> statement-breakpoint
CREATE INDEX "dues_bill_unpaid_idx" ON "dues_bill" USING btree ("member_id","month") WHERE "dues_bill"."status" = 'unpaid';--> statement-breakpoint
CREATE INDEX "dues_correction_org_idx" ON "dues_correction" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "dues_correction_member_idx" ON "dues_correction" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "dues_exemption_member_idx" ON "dues_exemption" USING btree ("member_id","status");--> statement-breakpoint
CREATE INDEX "dues_exemption_org_idx" ON "dues_exemption" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "dues_notify_log_trade_idx" ON "dues_notify_log" USING btree ("out_trade_no");--> statement-breakpoint
CREATE INDEX "dues_notify_log_at_idx" ON "dues_notify_log" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dues_payment_out_trade_no_uq" ON "dues_payment" USING btree ("out_trade_no");--> statement-breakpoint
CREATE UNIQUE INDEX "dues_payment_provider_no_uq" ON "dues_payment" USING btree ("channel","provider_trade_no");--> statement-breakpoint
CREATE UNIQUE INDEX "dues_payment_receipt_uq" ON "dues_payment" USING btree ("receipt_no");--> statement-breakpoint
CREATE INDEX "dues_payment_org_idx" ON "dues_payment" USING btree ("org_id","status","paid_at");--> statement-breakpoint
CREATE INDEX "dues_payment_member_idx" ON "dues_payment" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE INDEX "dues_payment_bill_bill_idx" ON "dues_payment_bill" USING btree ("bill_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dues_reminder_member_day_uq" ON "dues_reminder" USING btree ("member_id","sent_on");--> statement-breakpoint
CREATE INDEX "dues_remittance_org_idx" ON "dues_remittance" USING btree ("org_id","period_month");--> statement-breakpoint
CREATE INDEX "dues_remittance_to_idx" ON "dues_remittance" USING btree ("to_org_id","period_month");--> statement-breakpoint
CREATE INDEX "dues_usage_org_idx" ON "dues_usage" USING btree ("org_id","status","spent_on");
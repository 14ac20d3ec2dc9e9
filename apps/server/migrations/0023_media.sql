CREATE TABLE "media_article" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"byline" text DEFAULT '' NOT NULL,
	"body" jsonb NOT NULL,
	"cover_file_id" uuid,
	"is_public" boolean DEFAULT false NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"must_read" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"reject_reason" text,
	"review_org_id" uuid,
	"submitted_at" timestamp with time zone,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"read_count" integer DEFAULT 0 NOT NULL,
	"author_user_id" uuid,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_channel" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_file" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_read" (
	"tenant_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"member_id" uuid,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_read_article_id_user_id_pk" PRIMARY KEY("article_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "media_article" ADD CONSTRAINT "media_article_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_article" ADD CONSTRAINT "media_article_review_org_id_org_id_fk" FOREIGN KEY ("review_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_article" ADD CONSTRAINT "media_article_author_user_id_app_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_channel" ADD CONSTRAINT "media_channel_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_file" ADD CONSTRAINT "media_file_article_id_media_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."media_article"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_read" ADD CONSTRAINT "media_read_article_id_media_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."media_article"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_read" ADD CONSTRAINT "media_read_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_read" ADD CONSTRAINT "media_read_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_article_org_idx" ON "media_article" USING btree ("tenant_id","org_id","status","published_at");--> statement-breakpoint
CREATE INDEX "media_article_public_idx" ON "media_article" USING btree ("tenant_id","is_public","status","published_at");--> statement-breakpoint
CREATE INDEX "media_article_review_idx" ON "media_article" USING btree ("tenant_id","status","review_org_id");--> statement-breakpoint
CREATE INDEX "media_article_author_idx" ON "media_article" USING btree ("author_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "media_channel_org_name_uq" ON "media_channel" USING btree ("tenant_id","org_id","name");--> statement-breakpoint
CREATE INDEX "media_file_article_idx" ON "media_file" USING btree ("article_id");--> statement-breakpoint
CREATE INDEX "media_read_member_idx" ON "media_read" USING btree ("article_id","member_id");
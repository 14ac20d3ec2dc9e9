CREATE TABLE "media_honoree" (
	"tenant_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"post" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "media_honoree_article_id_member_id_pk" PRIMARY KEY("article_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "media_article" ADD COLUMN "kind" text DEFAULT 'news' NOT NULL;--> statement-breakpoint
ALTER TABLE "media_article" ADD COLUMN "brand" jsonb;--> statement-breakpoint
ALTER TABLE "media_honoree" ADD CONSTRAINT "media_honoree_article_id_media_article_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."media_article"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_honoree" ADD CONSTRAINT "media_honoree_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_honoree_member_idx" ON "media_honoree" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "media_article_brand_uq" ON "media_article" USING btree ("tenant_id","org_id") WHERE kind = 'brand';
CREATE TABLE "rate_hit" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rate_hit_expires_idx" ON "rate_hit" USING btree ("expires_at");
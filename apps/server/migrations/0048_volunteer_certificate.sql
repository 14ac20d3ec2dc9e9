ALTER TABLE "volunteer_signup" ADD COLUMN "certificate_serial" text;--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_signup_certificate_uq" ON "volunteer_signup" USING btree ("certificate_serial");--> statement-breakpoint
-- Hours recorded before this migration get a serial too (hex from md5 of random and the id: still unguessable).
UPDATE "volunteer_signup" SET "certificate_serial" = 'ZYFW-' || substr(h, 1, 4) || '-' || substr(h, 5, 4) || '-' || substr(h, 9, 4)
FROM (SELECT id AS sid, upper(md5(random()::text || id::text)) AS h FROM "volunteer_signup" WHERE "minutes" IS NOT NULL) s
WHERE "volunteer_signup".id = s.sid;

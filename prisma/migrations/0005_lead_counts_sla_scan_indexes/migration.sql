-- CreateTable
CREATE TABLE "LeadCount" (
    "orgId" UUID NOT NULL,
    "status" "LeadStatus" NOT NULL,
    "slot" INTEGER NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LeadCount_pkey" PRIMARY KEY ("orgId","status","slot")
);

-- CreateIndex
CREATE INDEX "Callback_overdue_scan_idx" ON "Callback"("dueAt") WHERE (status = ANY (ARRAY['OPEN'::"CallbackStatus", 'SCHEDULED'::"CallbackStatus"])) AND ("overdueAt" IS NULL);

-- CreateIndex
CREATE INDEX "Callback_due_scan_idx" ON "Callback"("scheduledFor") WHERE (status = ANY (ARRAY['OPEN'::"CallbackStatus", 'SCHEDULED'::"CallbackStatus"])) AND ("dueAnnouncedAt" IS NULL) AND ("scheduledFor" IS NOT NULL);

-- AddForeignKey
ALTER TABLE "LeadCount" ADD CONSTRAINT "LeadCount_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma does not model triggers; the drift check ignores them): "LeadCount"
-- follows every insert, status change and delete of "Lead" in the writing statement's own
-- transaction. Inserts and deletes use statement triggers with transition tables, so a
-- multi-row write (an import, a CTE) costs one upsert per (org, status), not one per row;
-- status changes use a row trigger that fires only when the status moves (most lead
-- updates, like lastActivityAt, cost nothing). A slot's count may go negative (a lead
-- counted in one slot, closed by a backend writing another): only the sum means
-- anything. When an organization is deleted its leads go by cascade after it, and
-- nothing is written for an organization that no longer exists.
CREATE FUNCTION "LeadCount_add"(org UUID, lead_status "LeadStatus", delta INTEGER) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "LeadCount" ("orgId", "status", "slot", "count")
    SELECT org, lead_status, pg_backend_pid() % 16, delta WHERE EXISTS (SELECT 1 FROM "Organization" o WHERE o.id = org)
    ON CONFLICT ("orgId", "status", "slot") DO UPDATE SET "count" = "LeadCount"."count" + EXCLUDED."count";
$$;

CREATE FUNCTION "LeadCount_statement"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "LeadCount_add"(n."orgId", n.status, count(*)::int) FROM new_rows n GROUP BY n."orgId", n.status ORDER BY n."orgId", n.status;
  ELSE
    PERFORM "LeadCount_add"(o."orgId", o.status, -count(*)::int) FROM old_rows o GROUP BY o."orgId", o.status ORDER BY o."orgId", o.status;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "LeadCount_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- In (org, status) order, the order every writer locks counter rows in.
  IF (OLD."orgId", OLD.status) < (NEW."orgId", NEW.status) THEN
    PERFORM "LeadCount_add"(OLD."orgId", OLD.status, -1);
    PERFORM "LeadCount_add"(NEW."orgId", NEW.status, 1);
  ELSE
    PERFORM "LeadCount_add"(NEW."orgId", NEW.status, 1);
    PERFORM "LeadCount_add"(OLD."orgId", OLD.status, -1);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Lead_count_insert" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "LeadCount_statement"();
CREATE TRIGGER "Lead_count_delete" AFTER DELETE ON "Lead" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "LeadCount_statement"();
CREATE TRIGGER "Lead_count_status" AFTER UPDATE OF status, "orgId" ON "Lead"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD."orgId" IS DISTINCT FROM NEW."orgId")
  EXECUTE FUNCTION "LeadCount_row"();

-- The leads that exist already.
INSERT INTO "LeadCount" ("orgId", "status", "slot", "count")
  SELECT "orgId", status, 0, count(*)::int FROM "Lead" GROUP BY "orgId", status;

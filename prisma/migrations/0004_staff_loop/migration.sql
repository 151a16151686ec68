-- CreateEnum
CREATE TYPE "StaffAlertKind" AS ENUM ('MISSED_CALL', 'REPLY_RECEIVED', 'CALLBACK_OVERDUE');

-- CreateEnum
CREATE TYPE "StaffAlertStatus" AS ENUM ('QUEUED', 'SENDING', 'SENT', 'FAILED', 'CANCELED');

-- AlterTable
ALTER TABLE "Callback" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "dueAnnouncedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "callbackOverdue" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lastInboundAt" TIMESTAMPTZ(3),
ADD COLUMN     "lastInboundText" TEXT,
ADD COLUMN     "needsDecision" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "needsReply" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable (hand-written: Prisma declares inboxRank with a dbgenerated default, PostgreSQL computes it from the row)
ALTER TABLE "Lead" ADD COLUMN     "inboxRank" INTEGER NOT NULL GENERATED ALWAYS AS (
CASE
    WHEN ("openPhone" IS NULL) THEN 9
    WHEN "needsReply" THEN 0
    WHEN "callbackOverdue" THEN 1
    WHEN (status = 'NEW'::"LeadStatus") THEN 2
    ELSE 3
END) STORED;

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "alertOnMissedCall" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "alertOnReply" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "onCall" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "phone" TEXT;

-- AlterTable
ALTER TABLE "OrgSettings" ADD COLUMN     "callbackRetryMinutes" INTEGER[] DEFAULT ARRAY[60, 240]::INTEGER[];

-- CreateTable
CREATE TABLE "LeadRead" (
    "userId" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "readAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LeadRead_pkey" PRIMARY KEY ("userId","leadId")
);

-- CreateTable
CREATE TABLE "StaffAlert" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "membershipId" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "kind" "StaffAlertKind" NOT NULL,
    "toPhone" TEXT NOT NULL,
    "fromPhone" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "StaffAlertStatus" NOT NULL DEFAULT 'QUEUED',
    "idempotencyKey" TEXT NOT NULL,
    "providerSid" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "claimedAt" TIMESTAMPTZ(3),
    "claimedBy" TEXT,
    "lastError" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StaffAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PasswordReset" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "orgId" UUID,
    "createdById" UUID,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasswordReset_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LeadRead_orgId_userId_idx" ON "LeadRead"("orgId", "userId");

-- CreateIndex
CREATE INDEX "LeadRead_leadId_idx" ON "LeadRead"("leadId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffAlert_idempotencyKey_key" ON "StaffAlert"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "StaffAlert_providerSid_key" ON "StaffAlert"("providerSid");

-- CreateIndex
CREATE INDEX "StaffAlert_status_nextAttemptAt_idx" ON "StaffAlert"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "StaffAlert_orgId_createdAt_id_idx" ON "StaffAlert"("orgId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "StaffAlert_orgId_kind_createdAt_idx" ON "StaffAlert"("orgId", "kind", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "StaffAlert_membershipId_idx" ON "StaffAlert"("membershipId");

-- CreateIndex
CREATE INDEX "StaffAlert_leadId_idx" ON "StaffAlert"("leadId");

-- CreateIndex
CREATE UNIQUE INDEX "PasswordReset_tokenHash_key" ON "PasswordReset"("tokenHash");

-- CreateIndex
CREATE INDEX "PasswordReset_userId_idx" ON "PasswordReset"("userId");

-- CreateIndex
CREATE INDEX "Lead_orgId_inboxRank_lastActivityAt_id_idx" ON "Lead"("orgId", "inboxRank", "lastActivityAt" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "LeadRead" ADD CONSTRAINT "LeadRead_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadRead" ADD CONSTRAINT "LeadRead_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadRead" ADD CONSTRAINT "LeadRead_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffAlert" ADD CONSTRAINT "StaffAlert_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffAlert" ADD CONSTRAINT "StaffAlert_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffAlert" ADD CONSTRAINT "StaffAlert_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordReset" ADD CONSTRAINT "PasswordReset_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

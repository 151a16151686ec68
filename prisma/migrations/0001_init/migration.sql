-- CreateEnum
CREATE TYPE "Role" AS ENUM ('OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('USER', 'CREDENTIAL', 'PROVIDER', 'SYSTEM');

-- CreateEnum
CREATE TYPE "LeadStatus" AS ENUM ('NEW', 'CONTACTED', 'BOOKED', 'LOST');

-- CreateEnum
CREATE TYPE "LeadEventType" AS ENUM ('CALL_MISSED', 'CALL_ANSWERED', 'VOICEMAIL_RECORDED', 'TEXT_BACK_QUEUED', 'TEXT_BACK_SENT', 'TEXT_BACK_SKIPPED', 'TEXT_BACK_FAILED', 'MESSAGE_RECEIVED', 'MESSAGE_SENT', 'MESSAGE_FAILED', 'NOTE_ADDED', 'STATUS_CHANGED', 'LEAD_UPDATED', 'CALLBACK_OPENED', 'CALLBACK_SCHEDULED', 'CALLBACK_ASSIGNED', 'CALLBACK_COMPLETED', 'CALLBACK_CANCELED', 'CALLBACK_OVERDUE', 'OPTED_OUT', 'OPTED_IN', 'HELP_REQUESTED');

-- CreateEnum
CREATE TYPE "CallbackStatus" AS ENUM ('OPEN', 'SCHEDULED', 'COMPLETED', 'CANCELED');

-- CreateEnum
CREATE TYPE "CallbackOutcome" AS ENUM ('BOOKED', 'NO_ANSWER', 'LEFT_VOICEMAIL', 'NOT_INTERESTED', 'WRONG_NUMBER');

-- CreateEnum
CREATE TYPE "MessageDirection" AS ENUM ('OUTBOUND', 'INBOUND');

-- CreateEnum
CREATE TYPE "MessageKind" AS ENUM ('TEXT_BACK', 'STAFF_REPLY', 'AUTO_REPLY', 'INBOUND');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'UNDELIVERED', 'FAILED', 'RECEIVED', 'CANCELED');

-- CreateEnum
CREATE TYPE "WebhookProvider" AS ENUM ('TWILIO', 'STRIPE');

-- CreateEnum
CREATE TYPE "WebhookOutcome" AS ENUM ('PROCESSED', 'DUPLICATE', 'REJECTED', 'MALFORMED', 'IGNORED', 'FAILED', 'RATE_LIMITED');

-- CreateEnum
CREATE TYPE "SignatureCheck" AS ENUM ('VALID', 'INVALID', 'MISSING', 'NOT_CONFIGURED');

-- CreateEnum
CREATE TYPE "CredentialMode" AS ENUM ('TEST', 'LIVE');

-- CreateTable
CREATE TABLE "Organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT,
    "setPasswordTokenHash" TEXT,
    "setPasswordExpiresAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "invitedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "activeOrgId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "idleExpiresAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiCredential" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "mode" "CredentialMode" NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "rotatedFromId" UUID,
    "graceUntil" TIMESTAMPTZ(3),

    CONSTRAINT "ApiCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingLine" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "forwardTo" TEXT NOT NULL,
    "label" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TrackingLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrgSettings" (
    "orgId" UUID NOT NULL,
    "businessName" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'America/New_York',
    "textBackEnabled" BOOLEAN NOT NULL DEFAULT true,
    "businessHoursTemplate" TEXT NOT NULL,
    "afterHoursTemplate" TEXT NOT NULL,
    "businessHours" JSONB NOT NULL,
    "quietHoursEnabled" BOOLEAN NOT NULL DEFAULT true,
    "quietHoursStart" TEXT NOT NULL DEFAULT '21:00',
    "quietHoursEnd" TEXT NOT NULL DEFAULT '08:00',
    "textBackCooldownMinutes" INTEGER NOT NULL DEFAULT 20,
    "ringTimeoutSeconds" INTEGER NOT NULL DEFAULT 20,
    "callbackSlaMinutes" INTEGER NOT NULL DEFAULT 15,
    "callScreeningEnabled" BOOLEAN NOT NULL DEFAULT false,
    "voicemailEnabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OrgSettings_pkey" PRIMARY KEY ("orgId")
);

-- CreateTable
CREATE TABLE "Lead" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "phone" TEXT NOT NULL,
    "openPhone" TEXT,
    "name" TEXT,
    "status" "LeadStatus" NOT NULL DEFAULT 'NEW',
    "optedOut" BOOLEAN NOT NULL DEFAULT false,
    "optedOutAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastActivityAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LeadEvent" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "type" "LeadEventType" NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "providerRef" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LeadEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Callback" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "openLeadId" UUID,
    "status" "CallbackStatus" NOT NULL DEFAULT 'OPEN',
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "scheduledFor" TIMESTAMPTZ(3),
    "assigneeId" UUID,
    "outcome" "CallbackOutcome",
    "notes" TEXT,
    "completedAt" TIMESTAMPTZ(3),
    "completedById" UUID,
    "canceledAt" TIMESTAMPTZ(3),
    "overdueAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Callback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "direction" "MessageDirection" NOT NULL,
    "kind" "MessageKind" NOT NULL,
    "body" TEXT NOT NULL,
    "status" "MessageStatus" NOT NULL,
    "fromPhone" TEXT NOT NULL,
    "toPhone" TEXT NOT NULL,
    "providerSid" TEXT,
    "errorCode" TEXT,
    "sentById" UUID,
    "idempotencyKey" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "claimedAt" TIMESTAMPTZ(3),
    "claimedBy" TEXT,
    "lastError" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" UUID NOT NULL,
    "orgId" UUID,
    "seq" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "requestId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "prevHash" TEXT,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookLog" (
    "id" UUID NOT NULL,
    "orgId" UUID,
    "provider" "WebhookProvider" NOT NULL,
    "route" TEXT NOT NULL,
    "eventId" TEXT,
    "signature" "SignatureCheck" NOT NULL,
    "outcome" "WebhookOutcome" NOT NULL,
    "httpStatus" INTEGER NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "requestId" TEXT,
    "ip" TEXT,

    CONSTRAINT "WebhookLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "stripeCustomerId" TEXT NOT NULL,
    "stripeSubscriptionId" TEXT,
    "status" TEXT NOT NULL,
    "priceId" TEXT,
    "plan" TEXT,
    "currentPeriodEnd" TIMESTAMPTZ(3),
    "trialEnd" TIMESTAMPTZ(3),
    "cancelAtPeriodEnd" BOOLEAN NOT NULL DEFAULT false,
    "pastDueSince" TIMESTAMPTZ(3),
    "stripeEventCreatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BillingRecord" (
    "id" UUID NOT NULL,
    "orgId" UUID,
    "stripeEventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "amount" INTEGER,
    "currency" TEXT,
    "status" TEXT,
    "periodStart" TIMESTAMPTZ(3),
    "periodEnd" TIMESTAMPTZ(3),
    "stripeCustomerId" TEXT,
    "stripeSubscriptionId" TEXT,
    "stripeInvoiceId" TEXT,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BillingRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_setPasswordTokenHash_key" ON "User"("setPasswordTokenHash");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_orgId_userId_key" ON "Membership"("orgId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiCredential_secretHash_key" ON "ApiCredential"("secretHash");

-- CreateIndex
CREATE UNIQUE INDEX "ApiCredential_rotatedFromId_key" ON "ApiCredential"("rotatedFromId");

-- CreateIndex
CREATE INDEX "ApiCredential_orgId_createdAt_idx" ON "ApiCredential"("orgId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "TrackingLine_number_key" ON "TrackingLine"("number");

-- CreateIndex
CREATE INDEX "TrackingLine_orgId_idx" ON "TrackingLine"("orgId");

-- CreateIndex
CREATE INDEX "Lead_orgId_lastActivityAt_id_idx" ON "Lead"("orgId", "lastActivityAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Lead_orgId_createdAt_idx" ON "Lead"("orgId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Lead_orgId_status_lastActivityAt_idx" ON "Lead"("orgId", "status", "lastActivityAt" DESC);

-- CreateIndex
CREATE INDEX "Lead_orgId_phone_idx" ON "Lead"("orgId", "phone");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_orgId_openPhone_key" ON "Lead"("orgId", "openPhone");

-- CreateIndex
CREATE UNIQUE INDEX "LeadEvent_providerRef_key" ON "LeadEvent"("providerRef");

-- CreateIndex
CREATE INDEX "LeadEvent_leadId_createdAt_id_idx" ON "LeadEvent"("leadId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "LeadEvent_orgId_createdAt_idx" ON "LeadEvent"("orgId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "LeadEvent_orgId_type_createdAt_idx" ON "LeadEvent"("orgId", "type", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Callback_openLeadId_key" ON "Callback"("openLeadId");

-- CreateIndex
CREATE INDEX "Callback_orgId_status_dueAt_idx" ON "Callback"("orgId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Callback_orgId_dueAt_idx" ON "Callback"("orgId", "dueAt");

-- CreateIndex
CREATE INDEX "Callback_leadId_idx" ON "Callback"("leadId");

-- CreateIndex
CREATE INDEX "Callback_status_dueAt_idx" ON "Callback"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Message_providerSid_key" ON "Message"("providerSid");

-- CreateIndex
CREATE UNIQUE INDEX "Message_idempotencyKey_key" ON "Message"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Message_status_nextAttemptAt_idx" ON "Message"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Message_leadId_createdAt_idx" ON "Message"("leadId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_orgId_createdAt_idx" ON "Message"("orgId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Message_orgId_toPhone_createdAt_idx" ON "Message"("orgId", "toPhone", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_createdAt_id_idx" ON "AuditEntry"("orgId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_action_createdAt_idx" ON "AuditEntry"("orgId", "action", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_targetType_targetId_idx" ON "AuditEntry"("orgId", "targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEntry_orgId_actorId_idx" ON "AuditEntry"("orgId", "actorId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_orgId_seq_key" ON "AuditEntry"("orgId", "seq");

-- CreateIndex
CREATE INDEX "WebhookLog_orgId_receivedAt_id_idx" ON "WebhookLog"("orgId", "receivedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "WebhookLog_orgId_provider_outcome_receivedAt_idx" ON "WebhookLog"("orgId", "provider", "outcome", "receivedAt" DESC);

-- CreateIndex
CREATE INDEX "WebhookLog_provider_eventId_idx" ON "WebhookLog"("provider", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_orgId_key" ON "Subscription"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_stripeCustomerId_key" ON "Subscription"("stripeCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_stripeSubscriptionId_key" ON "Subscription"("stripeSubscriptionId");

-- CreateIndex
CREATE UNIQUE INDEX "BillingRecord_stripeEventId_key" ON "BillingRecord"("stripeEventId");

-- CreateIndex
CREATE INDEX "BillingRecord_orgId_occurredAt_idx" ON "BillingRecord"("orgId", "occurredAt" DESC);

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_activeOrgId_fkey" FOREIGN KEY ("activeOrgId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiCredential" ADD CONSTRAINT "ApiCredential_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiCredential" ADD CONSTRAINT "ApiCredential_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiCredential" ADD CONSTRAINT "ApiCredential_rotatedFromId_fkey" FOREIGN KEY ("rotatedFromId") REFERENCES "ApiCredential"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingLine" ADD CONSTRAINT "TrackingLine_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrgSettings" ADD CONSTRAINT "OrgSettings_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadEvent" ADD CONSTRAINT "LeadEvent_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadEvent" ADD CONSTRAINT "LeadEvent_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Callback" ADD CONSTRAINT "Callback_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Callback" ADD CONSTRAINT "Callback_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Callback" ADD CONSTRAINT "Callback_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookLog" ADD CONSTRAINT "WebhookLog_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BillingRecord" ADD CONSTRAINT "BillingRecord_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

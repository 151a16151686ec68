-- Invitations become per membership (a token activates only the membership it
-- was issued for). Existing data: members of users who have a password are
-- accepted as of when they joined, members of users who never set one stay
-- invitations and the user's outstanding token moves to their newest
-- membership (each earlier invitation had overwritten the previous token).

-- DropIndex
DROP INDEX "User_setPasswordTokenHash_key";

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "acceptedAt" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "inviteExpiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "inviteTokenHash" TEXT;

-- Data
UPDATE "Membership" AS m SET "acceptedAt" = m."createdAt"
FROM "User" AS u WHERE u."id" = m."userId" AND u."passwordHash" IS NOT NULL;

UPDATE "Membership" AS m SET "acceptedAt" = NULL
FROM "User" AS u WHERE u."id" = m."userId" AND u."passwordHash" IS NULL;

UPDATE "Membership" AS m SET "inviteTokenHash" = u."setPasswordTokenHash", "inviteExpiresAt" = u."setPasswordExpiresAt"
FROM "User" AS u
WHERE u."id" = m."userId" AND u."passwordHash" IS NULL AND u."setPasswordTokenHash" IS NOT NULL
  AND m."id" = (SELECT n."id" FROM "Membership" AS n WHERE n."userId" = u."id" ORDER BY n."createdAt" DESC, n."id" DESC LIMIT 1);

-- AlterTable
ALTER TABLE "User" DROP COLUMN "setPasswordExpiresAt",
DROP COLUMN "setPasswordTokenHash";

-- CreateIndex
CREATE UNIQUE INDEX "Membership_inviteTokenHash_key" ON "Membership"("inviteTokenHash");

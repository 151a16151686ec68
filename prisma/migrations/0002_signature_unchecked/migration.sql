-- AlterEnum
ALTER TYPE "SignatureCheck" ADD VALUE 'UNCHECKED';

// Typed domain errors. Services throw these; the GraphQL and HTTP edges map
// the code to extensions.code / a status, once (graphql/errors.ts, http/).

export type DomainErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'RATE_LIMITED';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Safe, client-facing details (e.g. { fields: { email: '…' } }). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);

export const badInput = (message: string, fields?: Record<string, string>) => new DomainError('BAD_USER_INPUT', message, fields ? { fields } : {});

export const conflict = (message: string) => new DomainError('CONFLICT', message);

/** True when a Prisma/driver error is a unique-constraint violation (P2002 / SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string }; meta?: { code?: string } } | null;
  if (!e) return false;
  return e.code === 'P2002' || e.code === '23505' || e.cause?.code === '23505' || e.meta?.code === '23505';
}

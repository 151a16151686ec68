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

/**
 * True when a Prisma/driver error is a unique-constraint violation: P2002 (a model query),
 * P2010 with the driver's 23505 inside (a raw statement), or SQLSTATE 23505 from the driver itself.
 */
export function isUniqueViolation(error: unknown): boolean {
  type DriverCause = { originalCode?: string; kind?: string };
  const e = error as { code?: string; cause?: { code?: string }; meta?: { code?: string; driverAdapterError?: { cause?: DriverCause } } } | null;
  if (!e) return false;
  if (e.code === 'P2002' || e.code === '23505' || e.cause?.code === '23505' || e.meta?.code === '23505') return true;
  const driver = e.code === 'P2010' ? e.meta?.driverAdapterError?.cause : undefined;
  return driver?.originalCode === '23505' || driver?.kind === 'UniqueConstraintViolation';
}

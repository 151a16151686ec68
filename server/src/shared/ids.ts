const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else can't name a row (and would make PostgreSQL reject the query). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The single row of a query that always returns exactly one (an aggregate without GROUP BY, a SELECT of subqueries). */
export function oneRow<T>(rows: readonly T[]): T {
  const [row] = rows;
  if (row === undefined || rows.length !== 1) throw new Error(`expected exactly one row, got ${rows.length}`);
  return row;
}

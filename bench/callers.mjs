// The callers of the benchmark's missed calls: area code 300, which belongs to no
// region (the shop's own calling window applies, and the bench shop is where it is
// daytime), each caller a number of its own in the usual North American shape
// (exchange 200–999), as real callers' numbers are: an exchange starting with 0
// sent every number down libphonenumber's slow path, which no real call takes.
const FIRST = 2_000_000;
const LAST = 9_999_999;

/** The caller of the bench's call number `serial` (0 up to 7,999,999). */
export function benchCallerNumber(serial) {
  if (!Number.isInteger(serial) || serial < 0 || FIRST + serial > LAST) throw new Error(`bench caller serial out of range: ${serial}`);
  return `+1300${FIRST + serial}`;
}

// Row ids are UUIDv7 from the `uuid` package; other identifiers take random hex from a pool.
import { fakeTwilioSid, isUuid, newRowId, randomHex, uuidv7At } from '../../src/common/ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function msOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

describe('row ids', () => {
  it('newRowId makes version-7 UUIDs that sort in the order they were made, even within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newRowId());
    for (const id of ids) expect(id).toMatch(V7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uuidv7At carries the given instant in its first 48 bits', () => {
    const at = Date.UTC(2026, 2, 8, 9, 30);
    const id = uuidv7At(at);
    expect(id).toMatch(V7);
    expect(msOf(id)).toBe(at);
    expect(uuidv7At(at)).not.toBe(id);
  });

  it('isUuid accepts UUIDs of any version and refuses anything else', () => {
    expect(isUuid(newRowId())).toBe(true);
    expect(isUuid('9b2e4c1a-1d2f-4e3a-8b7c-0a1b2c3d4e5f')).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid(`${newRowId()}x`)).toBe(false);
  });
});

describe('randomHex', () => {
  it('gives each call fresh random bytes, across refills of its pool and for a request larger than the pool', () => {
    const ids = Array.from({ length: 2000 }, () => randomHex(12)); // 24 kB: the 4 kB pool is refilled several times
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Random, not zeros or a repeated block: each hex digit near 1/16 of 48,000 (3,000; σ ≈ 53).
    const counts = new Map<string, number>();
    for (const digit of ids.join('')) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    expect(counts.size).toBe(16);
    for (const count of counts.values()) expect(Math.abs(count - 3000)).toBeLessThan(400);
    expect(randomHex(5000)).toMatch(/^[0-9a-f]{10000}$/);
    expect(randomHex(12)).not.toBe(randomHex(12));
  });
});

describe('fakeTwilioSid', () => {
  it("is Twilio's shape (two letters, 32 hex digits) with the prefix asked for, new each time", () => {
    for (const prefix of ['CA', 'SM', 'RE', 'AC'] as const) expect(fakeTwilioSid(prefix)).toMatch(new RegExp(`^${prefix}[0-9a-f]{32}$`));
    const sids = Array.from({ length: 1000 }, () => fakeTwilioSid('SM'));
    expect(new Set(sids).size).toBe(sids.length);
  });
});

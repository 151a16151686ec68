// Row ids are UUIDv7 from the `uuid` package.
import { isUuid, newRowId, uuidv7At } from '../../src/common/ids';

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

import { groupRotations } from '../src/lib/credentials';

const cred = (id: string, rotatedFromId: string | null = null) => ({ id, name: 'Zapier sync', rotatedFromId });

describe('credential rotation', () => {
  it('lists a rotated credential under its replacement instead of as a second row', () => {
    // Newest first, as the API lists them: b replaced a.
    const groups = groupRotations([cred('b', 'a'), cred('other'), cred('a')]);
    expect(groups.map((g) => g.current.id)).toEqual(['b', 'other']);
    expect(groups[0]!.replaced).toEqual([{ credential: cred('a'), replacedBy: cred('b', 'a') }]);
    expect(groups[1]!.replaced).toEqual([]);
  });

  it('follows a chain of rotations, newest first', () => {
    const groups = groupRotations([cred('c', 'b'), cred('b', 'a'), cred('a')]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.replaced.map((r) => [r.credential.id, r.replacedBy.id])).toEqual([
      ['b', 'c'],
      ['a', 'b'],
    ]);
  });

  it('keeps a credential whose predecessor is not on this page on its own', () => {
    expect(groupRotations([cred('b', 'gone')])).toEqual([{ current: cred('b', 'gone'), replaced: [] }]);
  });

  it('never loops on, or hides, a malformed cycle', () => {
    const groups = groupRotations([cred('x', 'y'), cred('y', 'x')]);
    expect(groups.map((g) => g.current.id)).toEqual(['x', 'y']);
  });
});

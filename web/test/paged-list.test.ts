import { appendUnique, refreshPlan } from '../src/lib/paged-list';

describe('a paged list that stays on screen', () => {
  it('a refresh reloads everything shown, in pages the server accepts', () => {
    expect(refreshPlan(0, 25)).toEqual([25]);
    expect(refreshPlan(10, 25)).toEqual([25]);
    expect(refreshPlan(75, 25)).toEqual([75]);
    expect(refreshPlan(230, 25)).toEqual([100, 100, 30]);
  });

  it('"Load more" never shows a row twice when it moved between pages', () => {
    const rows = [{ id: 'a' }, { id: 'b' }];
    expect(appendUnique(rows, [{ id: 'b' }, { id: 'c' }, { id: 'c' }]).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});

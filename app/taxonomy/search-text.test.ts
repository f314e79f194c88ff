import { describe, expect, it } from 'vitest';
import { LOSSES } from '../../src';
import { matchesSearch } from './search-text';

const found = (q: string) => LOSSES.filter((d) => matchesSearch(d, q)).map((d) => d.id);

describe('taxonomy search', () => {
  it('finds words of the intuition texts and the cards', () => {
    expect(found('imbalance')).toEqual(expect.arrayContaining(['cross-entropy', 'dice', 'focal']));
    expect(found('Milletari')).toContain('dice');
    expect(found('BCE')).toContain('combo');
    expect(found('top-k')).toContain('topk');
    expect(found('student-t')).toEqual(['robust-t-loss']);
  });

  it('needs every word and finds nothing for nonsense', () => {
    expect(found('dice   overlap').length).toBeGreaterThan(0);
    expect(found('zzqx')).toEqual([]);
    expect(found('')).toHaveLength(25);
  });
});

import { describe, expect, it } from 'vitest';
import { INTUITION } from './intuition';
import { LOSSES } from './registry';

describe('plain-language intuition', () => {
  it('has two or three sentences for each of the 25 losses, and nothing else', () => {
    expect(LOSSES).toHaveLength(25);
    expect(Object.keys(INTUITION).sort()).toEqual(LOSSES.map((d) => d.id).sort());
    for (const d of LOSSES) {
      const text = INTUITION[d.id];
      const sentences = text.split(/(?<=[.!?)])\s+(?=[A-Z(])/).filter(Boolean);
      expect(sentences.length, `${d.id}: ${text}`).toBeGreaterThanOrEqual(2);
      expect(sentences.length, `${d.id}: ${text}`).toBeLessThanOrEqual(3);
      expect(text.length, d.id).toBeLessThan(420);
    }
  });
});

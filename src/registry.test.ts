// Issue 10.1: one list declares the losses; ids, taxonomy placement and registration derive from it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getLoss, IMPLEMENTED_LOSSES, isLossId, LOSS_IDS, LOSS_LIST, LOSSES } from './registry';
import { CATEGORIES, TAXONOMY, taxonomyEntry } from './taxonomy';
import type { LossId } from './types';

describe('registry', () => {
  it('LossId is an exact literal union (a typo does not compile)', () => {
    // @ts-expect-error 'dcie' is not a loss id
    const typo: LossId = 'dcie';
    const ok: LossId = 'generalised-wasserstein-dice';
    expect(isLossId(typo)).toBe(false);
    expect(isLossId(ok)).toBe(true);
  });

  it('lists 25 distinct losses, each id in its own file under its category, grouped in taxonomy order', () => {
    expect(LOSSES).toBe(LOSS_LIST);
    expect(new Set(LOSS_IDS).size).toBe(25);
    for (const def of LOSSES) {
      const files = readdirSync(join(import.meta.dirname, 'losses', def.category));
      expect(files).toContain(`${def.id}.ts`);
      expect(files).toContain(`${def.id}.test.ts`);
    }
    const order = CATEGORIES.map((c) => c.id);
    const cats = LOSSES.map((d) => order.indexOf(d.category));
    expect(cats).toEqual([...cats].sort((a, b) => a - b));
  });

  it('the golden files name exactly these ids (metrics.json holds the metric vectors)', () => {
    const golden = readdirSync(join(import.meta.dirname, 'golden', 'data'))
      .filter((f) => f.endsWith('.json') && f !== 'metrics.json')
      .map((f) => f.replace(/\.json$/, ''));
    expect([...golden].sort()).toEqual([...LOSS_IDS].sort());
  });

  it('taxonomy entries are the loss files’ own, and all 25 are implemented', () => {
    expect(TAXONOMY.map((t) => t.id)).toEqual(LOSS_IDS);
    expect(taxonomyEntry('dice').name).toBe(getLoss('dice').name);
    expect(IMPLEMENTED_LOSSES.length).toBe(25);
  });
});

import { describe, expect, inject, it } from 'vitest';
import { parseCsv } from './fixtures/csv';
import { flush, waitReady } from './fixtures/helpers';
import { downloadBytes, openPage, useBrowser } from './lib';

type Store = {
  getState(): {
    derivePrediction(kind: string): void;
    stateVersion: number;
    results: Record<string, { value: number | null; version: number } | undefined>;
    enabled: Record<string, boolean>;
  };
};
type Hooked = { __segloss: { store: Store } };

describe('export freshness', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('waits for the values of an edit made just before the export', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`);
    await waitReady(page);
    await page.getByTestId('export-menu').locator('summary').click();
    const before = await page.evaluate(() => {
      const s = (window as unknown as Hooked).__segloss.store.getState();
      return Object.fromEntries(Object.entries(s.results).map(([id, r]) => [id, r?.value ?? null]));
    });
    const [download, staleAtClick] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => {
        const store = (window as unknown as Hooked).__segloss.store;
        store.getState().derivePrediction('perfect');
        const s = store.getState();
        const stale = Object.entries(s.results).filter(([id, r]) => s.enabled[id] && r?.version !== s.stateVersion);
        (document.querySelector('[data-testid="export-csv"]') as HTMLButtonElement).click();
        return stale.length;
      }),
    ]);
    expect(staleAtClick).toBeGreaterThan(10); // the click came before any new value
    const table = parseCsv((await downloadBytes(download)).toString('utf8'));
    await flush(page);
    const after = await page.evaluate(() => {
      const s = (window as unknown as Hooked).__segloss.store.getState();
      return Object.fromEntries(
        Object.entries(s.results).map(([id, r]) => [id, r?.version === s.stateVersion ? (r?.value ?? null) : 'stale']),
      );
    });
    const head = table[0] as string[];
    const col = (name: string) => head.indexOf(name);
    let changed = 0;
    for (const r of table.slice(1)) {
      const id = r[col('id')] as string;
      expect(r[col('status')], id).not.toBe('stale');
      expect(r[col('status')], id).not.toBe('pending');
      if (r[col('status')] !== 'ok') continue;
      expect(Math.fround(Number(r[col('value')])), id).toBe(after[id]);
      if (after[id] !== before[id]) changed++;
    }
    expect(changed).toBeGreaterThan(10); // the export holds the edited state's values, not the old ones
    expect(errors).toEqual([]);
    await close();
  });
});

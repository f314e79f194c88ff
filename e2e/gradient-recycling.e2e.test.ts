import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { flush, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

type Hooked = {
  __segloss: {
    ready: Promise<void>;
    status(): Promise<{ gradientArrays: { reused: number; made: number } }>;
    store: {
      getState(): {
        logits: Float32Array;
        numClasses: number;
        setLogits(l: Float32Array): void;
        results: Record<string, { grad: Float32Array | null; value: number | null } | undefined>;
      };
    };
  };
};

/** Every shown gradient's length and a checksum of its values, and the values, by loss. */
function gradients(page: Page) {
  return page.evaluate(() => {
    const { results } = (window as unknown as Hooked).__segloss.store.getState();
    const out: Record<string, [number, number, number | null]> = {};
    for (const [id, r] of Object.entries(results)) {
      let sum = 0;
      for (const v of r?.grad ?? []) sum += v * 1e3;
      out[id] = [r?.grad?.length ?? -1, sum, r?.value ?? null];
    }
    return out;
  });
}

/** Sets the prediction's logits to the start's plus `shift` on class 0 (shift 0: exactly the start's). */
function shiftLogits(page: Page, shift: number) {
  return page.evaluate((k) => {
    const w = window as unknown as Hooked & { __start?: Float32Array };
    const s = w.__segloss.store.getState();
    w.__start ??= s.logits.slice();
    const l = w.__start.slice();
    for (let i = 0; i < l.length; i += s.numClasses) l[i] = (l[i] as number) + k;
    s.setLogits(l);
  }, shift);
}

describe('gradient arrays given back to the engine', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('reuses them for later updates, with the same numbers as fresh ones, and never one still shown', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`);
    await waitReady(page);
    await page.evaluate(() => (window as unknown as Hooked).__segloss.ready);
    await shiftLogits(page, 0);
    await flush(page);
    const first = await gradients(page);
    expect(Object.keys(first).length).toBeGreaterThan(20);
    expect(Object.values(first).every(([len]) => len > 0)).toBe(true);
    // edits far enough apart for the arrays of each update to go back before the next one
    for (const shift of [1.5, -0.75, 2]) {
      await shiftLogits(page, shift);
      await flush(page);
      await page.waitForTimeout(300);
    }
    const status = () => page.evaluate(() => (window as unknown as Hooked).__segloss.status());
    const { reused } = (await status()).gradientArrays;
    expect(reused).toBeGreaterThan(0);
    // back to the first prediction: gradients written into reused arrays equal the first update's, bit for bit
    await shiftLogits(page, 0);
    await flush(page);
    expect(await gradients(page)).toEqual(first);
    expect((await status()).gradientArrays.reused).toBeGreaterThan(reused);
    // the arrays on screen stay there: none goes back while shown (moved to the worker, it would be empty here)
    await page.waitForTimeout(600);
    expect(await gradients(page)).toEqual(first);
    expect(Number(await page.getByTestId('gradient-heatmap').getAttribute('data-max'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await close();
  });
});

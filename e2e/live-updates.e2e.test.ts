import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { flush, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

/** A whole stroke of the prediction (one undo entry), as the bench's edits: raises class 0 in the top half. */
async function strokePrediction(page: Page, by: number): Promise<void> {
  await page.evaluate((by) => {
    type S = {
      logits: Float32Array;
      numClasses: number;
      beginGesture(): void;
      endGesture(): void;
      setLogits(l: Float32Array): void;
    };
    const s = (window as unknown as { __segloss: { store: { getState(): S } } }).__segloss.store.getState();
    s.beginGesture();
    const l = s.logits.slice();
    for (let i = 0; i < l.length / 2; i += s.numClasses) l[i] = (l[i] as number) + by;
    s.setLogits(l);
    s.endGesture();
  }, by);
}

describe('live updates', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  /** The explorer with every value of its example current. */
  async function openCurrent() {
    const opened = await openPage(browser(), `${baseUrl}/`);
    const { page } = opened;
    await waitReady(page);
    await page.evaluate(() => (window as unknown as { __segloss: { ready: Promise<void> } }).__segloss.ready);
    await flush(page);
    const table = page.getByTestId('loss-table');
    await expect.poll(() => table.getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
    return { ...opened, table };
  }

  it('marks values stale during a stroke and current when they land', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`);
    await waitReady(page);
    const table = page.getByTestId('loss-table');
    await page.evaluate(() => (window as unknown as { __segloss: { ready: Promise<void> } }).__segloss.ready);
    await flush(page);
    await expect.poll(() => table.getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
    expect(await page.locator('[data-testid="loss-value"][data-stale="true"]').count()).toBe(0);
    const version0 = Number(
      await page.locator('[data-testid="loss-value"][data-loss-id="dice"]').getAttribute('data-version'),
    );

    // What the page shows while the stroke's update runs, recorded on every DOM change: a warm engine can land
    // every value before a poll from here would look.
    await page.evaluate(() => {
      const w = window as unknown as { __sawBusyAndStale?: boolean; __sawLiveStale?: boolean };
      w.__sawBusyAndStale = false;
      w.__sawLiveStale = false;
      new MutationObserver(() => {
        const busy = document.querySelector('[data-testid="loss-table"]')?.getAttribute('aria-busy') === 'true';
        const stale = document.querySelectorAll('[data-testid="loss-value"][data-stale="true"]').length > 0;
        if (busy && stale) w.__sawBusyAndStale = true;
        // the live list beside the canvases (the first screen) marks its lines the same way
        const liveBusy = document.querySelector('.live-list')?.getAttribute('aria-busy') === 'true';
        if (liveBusy && document.querySelector('[data-testid="live-value"][data-stale="true"]'))
          w.__sawLiveStale = true;
      }).observe(document.body, { subtree: true, attributes: true, childList: true });
    });
    // A stroke: the prediction changes and nothing may compute before we look (the bridge waits a frame).
    const seen = await page.evaluate(() => {
      type S = {
        logits: Float32Array;
        numClasses: number;
        stateVersion: number;
        beginGesture(): void;
        setLogits(l: Float32Array): void;
      };
      const { store } = (window as unknown as { __segloss: { store: { getState(): S } } }).__segloss;
      const s = store.getState();
      s.beginGesture();
      const l = s.logits.slice();
      for (let i = 0; i < l.length; i += s.numClasses) l[i] = (l[i] as number) + 2;
      s.setLogits(l);
      const table = document.querySelector('[data-testid="loss-table"]');
      return { version: store.getState().stateVersion, busyNow: table?.getAttribute('aria-busy') };
    });
    expect(seen.version).toBeGreaterThan(version0);
    // Every value on screen belongs to the old state until its own value lands: the table was busy with stale values.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __sawBusyAndStale?: boolean }).__sawBusyAndStale))
      .toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __sawLiveStale?: boolean }).__sawLiveStale)).toBe(true);
    await page.evaluate(() =>
      (window as unknown as { __segloss: { store: { getState(): { endGesture(): void } } } }).__segloss.store
        .getState()
        .endGesture(),
    );
    await flush(page);
    await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
    expect(await page.locator('[data-testid="loss-value"][data-stale="true"]').count()).toBe(0);
    expect(await page.locator('[data-testid="gradient-heatmap"][data-stale="true"]').count()).toBe(0);
    expect(await page.getByTestId('gradient-heatmap').getAttribute('data-stale')).toBeNull();
    // the small multiples sit below the first screen: they wait until they are in view (see the thumbnails test)
    await page.getByTestId('multiples-scale').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('[data-testid="multiple-heatmap"][data-stale="true"]').count()).toBe(0);
    expect(await page.locator('[data-testid="live-value"][data-stale="true"]').count()).toBe(0);
    expect(await page.locator('.live-list').getAttribute('aria-busy')).toBe('false');
    expect(await page.getByTestId('focused-value').getAttribute('data-stale')).toBeNull();
    const dice = page.locator('[data-testid="loss-value"][data-loss-id="dice"]');
    expect(Number(await dice.getAttribute('data-version'))).toBe(seen.version);
    // Δ since edit: the stroke's whole effect on Dice.
    expect(await page.locator('tr[data-loss-id="dice"] [data-testid="loss-change"]').count()).toBe(1);
    // Each live line's sparkline ends with the value beside it (the history records complete updates only, not
    // the other losses' previous values when the focused one lands).
    const sparklineLag = () =>
      page.$$eval('[data-testid=live-value]', (els) =>
        els
          .filter((e) => e.getAttribute('data-value') !== '')
          .filter((e) => e.querySelector('.sparkline')?.getAttribute('data-last') !== e.getAttribute('data-value'))
          .map((e) => e.getAttribute('data-loss-id')),
      );
    await expect.poll(sparklineLag).toEqual([]);
    expect(await page.locator('[data-testid=live-value]').count()).toBeGreaterThan(20);
    expect(errors).toEqual([]);
    await close();
  });

  it('warms the engine in the background once the page is idle, holding no tensor, and a later edit still lands', async () => {
    type Warm = { done: number; of: number; ms: number; finished: boolean } | null;
    type Hooked = {
      __segloss: {
        ready: Promise<void>;
        status(): Promise<{ backend: string | null; numTensors: number; jitWarmUp: Warm }>;
        store: { getState(): { logits: Float32Array; numClasses: number; setLogits(l: Float32Array): void } };
      };
    };
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`);
    await waitReady(page);
    await page.evaluate(() => (window as unknown as Hooked).__segloss.ready);
    await flush(page);
    const status = () => page.evaluate(() => (window as unknown as Hooked).__segloss.status());
    const first = await status();
    expect(first.backend).toBe('wasm');
    // every loss the table shows, 60 times each, on the engine's own 32² example (app/compute/jit-warm-up.ts)
    expect(first.jitWarmUp?.of).toBe(60 * (await page.getByTestId('loss-value').count()));
    await expect
      .poll(
        async () => {
          const w = (await status()).jitWarmUp;
          return w?.finished === true;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const warm = (await status()).jitWarmUp;
    console.log(`[jit warm-up] ${warm?.done} of ${warm?.of} loss evaluations in ${warm?.ms.toFixed(0)} ms`);
    expect(warm?.done).toBeGreaterThan(0); // all of them unless it ran out of its 5 s on a very loaded machine
    expect((await status()).numTensors).toBe(first.numTensors);
    // the page's own values were not touched by it, and the next edit is computed as usual
    const table = page.getByTestId('loss-table');
    await page.evaluate(() => {
      const s = (window as unknown as Hooked).__segloss.store.getState();
      const l = s.logits.slice();
      for (let i = 0; i < l.length; i += s.numClasses) l[i] = (l[i] as number) - 1;
      s.setLogits(l);
    });
    await flush(page);
    await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
    expect(await page.locator('[data-testid="loss-value"][data-stale="true"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  }, 90_000);

  it('thumbnails and small multiples out of view wait: marked stale after an edit, drawn when they scroll in', async () => {
    // 1280×900: the table starts below the first screen (the stage fills it)
    const { page, errors, close, table } = await openCurrent();
    const thumbs = page.locator('.loss-table canvas.thumb');
    const staleThumbs = page.locator('.loss-table canvas.thumb[data-stale="true"]');
    const dicePixels = () =>
      page.$eval('tr[data-loss-id="dice"] canvas.thumb', (c) => (c as HTMLCanvasElement).toDataURL());
    await table.scrollIntoViewIfNeeded();
    await expect.poll(() => thumbs.count()).toBeGreaterThan(20);
    await expect.poll(() => staleThumbs.count()).toBe(0);
    const before = await dicePixels();
    const multiples = page.locator('[data-testid="multiple-heatmap"]');
    const staleMultiples = page.locator('[data-testid="multiple-heatmap"][data-stale="true"]');
    await page.getByTestId('multiples-scale').scrollIntoViewIfNeeded();
    await expect.poll(() => multiples.count()).toBeGreaterThan(0);
    await expect.poll(() => staleMultiples.count()).toBe(0);

    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => table.evaluate((t) => t.getBoundingClientRect().top > window.innerHeight)).toBe(true);
    await page.waitForTimeout(200); // the intersection observer's answer
    await strokePrediction(page, 3);
    await flush(page);
    await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
    // the values are current; the unseen thumbnails kept their pixels and say they are behind
    expect(await page.locator('[data-testid="loss-value"][data-stale="true"]').count()).toBe(0);
    expect(await staleThumbs.count()).toBe(await thumbs.count());
    expect(await dicePixels()).toBe(before);
    expect(await page.locator('tr[data-loss-id="dice"] canvas.thumb').getAttribute('aria-label')).toContain('updating');
    // the small multiples (below the table) likewise, with "updating…" under each
    expect(await staleMultiples.count()).toBe(await multiples.count());
    expect(await page.locator('[data-testid="multiple"] .scale').first().textContent()).toContain('updating');

    await table.scrollIntoViewIfNeeded();
    await expect.poll(() => staleThumbs.count()).toBe(0);
    expect(await dicePixels()).not.toBe(before);
    await page.getByTestId('multiples-scale').scrollIntoViewIfNeeded();
    await expect.poll(() => staleMultiples.count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });

  it('an edit re-renders the values, not the controls: no input or select of the page changes', async () => {
    // React re-applies an input's name and type whenever its component renders, and Blink restyles for each:
    // panels that re-rendered with every edit (landscapes, lessons, editors, the heatmap's mode) cost the page
    // ≈ 680 such attribute writes per edit at 64² before they were memoised apart from what changes.
    const { page, errors, close, table } = await openCurrent();
    const before = await page.locator('[data-testid="loss-value"][data-loss-id="dice"]').getAttribute('data-value');
    await page.evaluate(() => {
      const w = window as unknown as { __controlWrites: string[] };
      w.__controlWrites = [];
      new MutationObserver((ms) => {
        for (const m of ms) {
          const el = m.target as Element;
          if (m.type === 'attributes' && el.matches('input, select, option, textarea'))
            w.__controlWrites.push(`${el.outerHTML.slice(0, 80)}: ${m.attributeName}`);
        }
      }).observe(document.body, { subtree: true, attributes: true });
    });
    await strokePrediction(page, 1.5);
    await flush(page);
    await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
    const after = await page.locator('[data-testid="loss-value"][data-loss-id="dice"]').getAttribute('data-value');
    expect(after).not.toBe(before);
    expect(await page.locator('[data-testid="loss-value"][data-stale="true"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __controlWrites: string[] }).__controlWrites)).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });
});

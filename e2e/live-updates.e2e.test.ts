import { describe, expect, inject, it } from 'vitest';
import { flush, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

describe('live updates', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

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
    await expect.poll(() => table.getAttribute('aria-busy')).toBe('true');
    // Every value on screen belongs to the old state until its own value lands; at least some are still stale.
    await expect.poll(() => page.locator('[data-testid="loss-value"][data-stale="true"]').count()).toBeGreaterThan(0);
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
    expect(await page.locator('[data-testid="multiple-heatmap"][data-stale="true"]').count()).toBe(0);
    const dice = page.locator('[data-testid="loss-value"][data-loss-id="dice"]');
    expect(Number(await dice.getAttribute('data-version'))).toBe(seen.version);
    // Δ since edit: the stroke's whole effect on Dice.
    expect(await page.locator('tr[data-loss-id="dice"] [data-testid="loss-change"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await close();
  });
});

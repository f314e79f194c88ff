// The loss-landscape panel in headless Chromium against the built app: a 1-D line towards the ground truth for
// cross-entropy is drawn and decreasing, a 2-D grid draws filled contours, the value at the current prediction
// equals the loss table's, edits mark the result stale, and it also works with ?compute=main. Prints the time of
// a 15×15 grid for cross-entropy and dice (64², WASM, worker) for the README.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fullPageScreenshot, shownValues, waitReady } from './fixtures/helpers';
import { openPage, SCREENSHOT_DIR, useBrowser } from './lib';

type Hooked = {
  __segloss: { store: { getState(): { derivePrediction(kind: string): void; focusedLoss: string } } };
};

async function selectLoss(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="taxonomy-node"][data-loss-id="${id}"]`).click();
  await page.waitForFunction(
    (want) => (window as unknown as Hooked).__segloss.store.getState().focusedLoss === want,
    id,
  );
}

/** Clicks Compute and waits for the result (or an error, which fails the test with its message). */
async function compute(page: Page): Promise<{ ms: number; engineMs: number }> {
  await page.getByTestId('landscape-compute').click();
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="landscape-status"]')?.getAttribute('data-status');
      return s === 'done' || s === 'error';
    },
    null,
    { timeout: 90_000 },
  );
  const error = await page.getByTestId('landscape-error').count();
  if (error) throw new Error(`landscape failed: ${await page.getByTestId('landscape-error').textContent()}`);
  const time = page.getByTestId('landscape-time');
  return {
    ms: Number(await time.getAttribute('data-ms')),
    engineMs: Number(await time.getAttribute('data-engine-ms')),
  };
}

async function originValue(page: Page): Promise<number> {
  return Number(await page.getByTestId('landscape-origin-value').getAttribute('data-value'));
}

/** The (x, y) vertices of a d3 line path ("M x,y L x,y …", gaps start a new M). */
function pathPoints(d: string): [number, number][] {
  return Array.from(d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g), (m) => [Number(m[1]), Number(m[2])]);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));

describe('loss landscape', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();
  beforeAll(() => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  it('draws a decreasing cross-entropy line towards the GT and a 2-D contour grid whose origin is the table value', async () => {
    const {
      page,
      errors,
      close: done,
    } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    await selectLoss(page, 'cross-entropy');
    const panel = page.getByTestId('landscape-panel');
    await panel.scrollIntoViewIfNeeded();
    expect(await page.getByTestId('landscape-dir-a').inputValue()).toBe('towards-gt');

    // 1-D, the defaults: 21 points of a in [−1, 1] towards the ground truth.
    await compute(page);
    const line = page.getByTestId('landscape-line');
    const coords = (await line.getAttribute('data-coords'))?.split(',').map(Number) ?? [];
    const values = (await line.getAttribute('data-values'))?.split(',').map(Number) ?? [];
    expect(coords.length).toBe(21);
    const from0to1 = coords.flatMap((a, i) => (a >= 0 && a <= 1 ? [i] : []));
    expect(from0to1.length).toBe(11);
    for (let k = 1; k < from0to1.length; k++)
      expect(values[from0to1[k] as number]).toBeLessThan(values[from0to1[k - 1] as number] as number);
    // The drawn curve goes down there too (SVG y grows downwards).
    const pts = pathPoints((await page.getByTestId('landscape-curve').getAttribute('d')) ?? '');
    expect(pts.length).toBe(21);
    for (let k = 1; k < from0to1.length; k++)
      expect((pts[from0to1[k] as number] as [number, number])[1]).toBeGreaterThan(
        (pts[from0to1[k - 1] as number] as [number, number])[1],
      );
    expect(await page.getByTestId('landscape-origin').count()).toBe(1);
    expect(await page.getByTestId('landscape-description').textContent()).toMatch(
      /^Cross-entropy.* at the logits z \+ a·d .*d = z\* − z.*a = 0 is the current prediction\.$/i,
    );
    const table = (await shownValues(page)).get('cross-entropy') as number;
    expect(close(await originValue(page), table)).toBe(true);
    expect(close(values[coords.indexOf(0)] as number, table)).toBe(true);
    expect(Number(await page.getByTestId('landscape-min').getAttribute('data-value'))).toBe(Math.min(...values));
    expect(Number(await page.getByTestId('landscape-max').getAttribute('data-value'))).toBe(Math.max(...values));

    // 2-D: towards the GT × random, 15×15. A second click supersedes the first (the stale reply is ignored).
    await page.getByTestId('landscape-2d').check();
    expect(await page.getByTestId('landscape-points').inputValue()).toBe('15');
    await page.getByTestId('landscape-compute').click();
    const ce = await compute(page);
    expect(await page.getByTestId('landscape-contours').count()).toBe(1);
    expect(await page.getByTestId('landscape-band').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('landscape-origin').count()).toBe(1);
    expect(close(await originValue(page), table)).toBe(true);
    expect(await page.getByTestId('landscape-description').textContent()).toMatch(/15×15 grid/);
    await fullPageScreenshot(page, join(SCREENSHOT_DIR, 'landscape-2d.png'));
    // Cross-entropy spans four decades here: the logarithmic colour scale spreads the levels over them.
    expect(await page.getByTestId('landscape-contours').getAttribute('data-scale')).toBe('linear');
    await page.getByTestId('landscape-colour-scale').selectOption('log');
    expect(await page.getByTestId('landscape-contours').getAttribute('data-scale')).toBe('log');
    expect(await page.getByTestId('landscape-contours').textContent()).toContain('L (log)');
    await page.getByTestId('landscape-panel').screenshot({ path: join(SCREENSHOT_DIR, 'landscape-panel.png') });

    // Dice at the same size, for the timing.
    await selectLoss(page, 'dice');
    expect(await page.getByTestId('landscape-stale').textContent()).toMatch(/another loss is selected/);
    const dice = await compute(page);
    expect(close(await originValue(page), (await shownValues(page)).get('dice') as number)).toBe(true);
    console.log(
      `landscape 15×15 at 64² (WASM, worker): cross-entropy ${ce.ms.toFixed(0)} ms (engine ${ce.engineMs.toFixed(0)}), dice ${dice.ms.toFixed(0)} ms (engine ${dice.engineMs.toFixed(0)})`,
    );

    // An edit marks the landscape stale; it does not recompute it.
    await page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().derivePrediction('blur'));
    await expect.poll(() => page.getByTestId('landscape-stale').count()).toBe(1);
    expect(await page.getByTestId('landscape-stale').textContent()).toMatch(/masks changed/);
    expect(await page.getByTestId('landscape-status').getAttribute('data-status')).toBe('done');

    // A bad resolution says so and disables Compute.
    await page.getByTestId('landscape-points').fill('50');
    expect(await page.getByTestId('landscape-input-error').textContent()).toMatch(/11 to 31/);
    expect(await page.getByTestId('landscape-compute').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await done();
  });

  it('computes on the main thread with ?compute=main', async () => {
    const { page, errors, close: done } = await openPage(browser(), `${baseUrl}/?compute=main`);
    await waitReady(page);
    await selectLoss(page, 'cross-entropy');
    await compute(page);
    expect(await page.getByTestId('landscape-time').textContent()).toMatch(/main thread/);
    const table = (await shownValues(page)).get('cross-entropy') as number;
    expect(close(await originValue(page), table)).toBe(true);
    expect(await page.getByTestId('landscape-curve').count()).toBe(1);
    expect(errors).toEqual([]);
    await done();
  });
});

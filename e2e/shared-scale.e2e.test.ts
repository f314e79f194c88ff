// The gradient small multiples' colour scale (issue 12 §4): on an empty prediction, cross-entropy's and Dice's
// maps look alike when each is scaled to its own max; on one shared scale their intensities differ, and the
// legend says which scale is in use.
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { fingerprint, flush, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

type Hooked = {
  __segloss: { store: { getState(): { multiples: string[]; toggleMultiple(id: string): void } } };
};

/** Mean colour intensity of a small multiple: how far its pixels are from white (0 = blank, 765 = black). */
function intensity(page: Page, id: string): Promise<number> {
  return page.$eval(`[data-testid=multiple-heatmap][data-loss-id="${id}"]`, (el) => {
    const c = el as HTMLCanvasElement;
    const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += 765 - ((d[i] as number) + (d[i + 1] as number) + (d[i + 2] as number));
    return sum / (d.length / 4);
  });
}

async function limits(page: Page): Promise<[number, number]> {
  const l = (id: string) => page.locator(`[data-testid=multiple][data-loss-id="${id}"]`).getAttribute('data-scale-max');
  return [Number(await l('cross-entropy')), Number(await l('dice'))];
}

describe('shared colour scale of the small multiples', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('switching to a shared scale makes CE and Dice on an empty prediction differ in intensity', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`);
    try {
      await waitReady(page);
      await page.evaluate(() => {
        const s = (window as unknown as Hooked).__segloss.store.getState();
        // Exactly these two maps are shown (the shared scale pools the shown maps).
        for (const id of s.multiples) if (id !== 'cross-entropy' && id !== 'dice') s.toggleMultiple(id);
        for (const id of ['cross-entropy', 'dice']) if (!s.multiples.includes(id)) s.toggleMultiple(id);
      });
      const before = await fingerprint(page);
      await page.getByTestId('derive-empty').click();
      await expect.poll(() => fingerprint(page)).not.toBe(before);
      await flush(page);
      // in view: out of it the maps wait (marked stale) until they scroll in
      await page.getByTestId('multiples-scale').scrollIntoViewIfNeeded();
      await expect.poll(() => page.locator('[data-testid=multiple-heatmap][data-stale]').count()).toBe(0);
      const legend = page.getByTestId('multiples-scale-legend');
      expect(await legend.getAttribute('data-scale')).toBe('own');
      const [ceOwn, diceOwn] = await limits(page);
      expect(ceOwn).not.toBeCloseTo(diceOwn, 6);
      const ownRatio = (await intensity(page, 'cross-entropy')) / (await intensity(page, 'dice'));

      await page.getByTestId('multiples-scale').selectOption('global');
      await expect.poll(() => legend.getAttribute('data-scale')).toBe('global');
      expect(await legend.textContent()).toMatch(/one scale for all maps: the largest \|g\|/);
      const [ceG, diceG] = await limits(page);
      expect(ceG).toBe(diceG);
      expect(ceG).toBe(Math.max(ceOwn, diceOwn));
      const sharedRatio = (await intensity(page, 'cross-entropy')) / (await intensity(page, 'dice'));
      console.log(`[shared-scale] CE/Dice intensity: own ${ownRatio.toFixed(3)}, global ${sharedRatio.toFixed(3)}`);
      // On its own scale each map is about as intense as the other; on one scale the weaker gradient fades.
      expect(Math.abs(Math.log(sharedRatio))).toBeGreaterThan(Math.abs(Math.log(ownRatio)) + Math.log(1.8));

      await page.getByTestId('multiples-scale').selectOption('p99');
      await expect.poll(() => legend.getAttribute('data-scale')).toBe('p99');
      expect(await legend.textContent()).toMatch(/99th percentile/);
      const [ceP, diceP] = await limits(page);
      expect(ceP).toBe(diceP);
      expect(ceP).toBeLessThanOrEqual(ceG);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("the race's change maps take the same setting: own limits differ, a shared one is the largest", async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?race=cross-entropy,dice&raceSteps=20`);
    try {
      await waitReady(page);
      await page.getByTestId('race-run').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="race-panel"]')?.getAttribute('data-status') === 'done',
        null,
        { timeout: 60_000 },
      );
      await page.getByTestId('race-view').selectOption('change');
      const racerLimit = async (id: string) =>
        Number(await page.locator(`[data-testid=racer][data-loss-id="${id}"]`).getAttribute('data-scale-max'));
      await expect.poll(() => page.getByTestId('race-scale-legend').getAttribute('data-scale')).toBe('own');
      const own = [await racerLimit('cross-entropy'), await racerLimit('dice')];
      expect(own[0]).toBeGreaterThan(0);
      expect(own[0]).not.toBe(own[1]);
      await page.getByTestId('race-scale').selectOption('global');
      await expect.poll(() => page.getByTestId('race-scale-legend').getAttribute('data-scale')).toBe('global');
      expect([await racerLimit('cross-entropy'), await racerLimit('dice')]).toEqual([
        Math.max(...own),
        Math.max(...own),
      ]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

// "Compare losses" in the landscape panel, in headless Chromium against the built app: three chosen losses
// along the line towards the ground truth give three lines and a three-entry legend; normalised relative to the
// current prediction every line passes through 1 at a = 0, min–max keeps every line in [0, 1]; also with
// ?compute=main.
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

const CHOSEN = ['cross-entropy', 'dice', 'focal'];

/** Ticks exactly CHOSEN in the loss picker. */
async function choose(page: Page): Promise<void> {
  const panel = page.getByTestId('compare-panel');
  await panel.scrollIntoViewIfNeeded();
  await panel.locator('summary').click();
  const boxes = page.getByTestId('compare-loss');
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    const want = CHOSEN.includes((await box.getAttribute('data-loss-id')) ?? '');
    if ((await box.isChecked()) !== want) await box.click();
  }
}

async function compare(page: Page): Promise<void> {
  await page.getByTestId('compare-compute').click();
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="compare-status"]')?.getAttribute('data-status');
      return s === 'done' || s === 'error';
    },
    null,
    { timeout: 90_000 },
  );
  if (await page.getByTestId('compare-error').count())
    throw new Error(`comparison failed: ${await page.getByTestId('compare-error').textContent()}`);
}

/** Each drawn curve's loss id and normalised values, and the shared coordinates. */
async function curves(page: Page): Promise<{ coords: number[]; lines: Map<string, number[]> }> {
  const coords = ((await page.getByTestId('compare-chart').getAttribute('data-coords')) ?? '').split(',').map(Number);
  const lines = new Map<string, number[]>();
  const paths = page.getByTestId('compare-curve');
  for (let i = 0; i < (await paths.count()); i++) {
    const p = paths.nth(i);
    lines.set(
      (await p.getAttribute('data-loss-id')) ?? '',
      ((await p.getAttribute('data-values')) ?? '').split(',').map(Number),
    );
  }
  return { coords, lines };
}

describe('compare losses along one line', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  for (const query of ['', '?compute=main']) {
    it(`draws 3 normalised lines with a legend, through 1 at a = 0 ${query || '(worker)'}`, async () => {
      const {
        page,
        errors,
        close: done,
      } = await openPage(browser(), `${baseUrl}/${query}`, {
        viewport: { width: 1400, height: 1000 },
      });
      await waitReady(page);
      await choose(page);
      expect(await page.getByTestId('compare-compute').textContent()).toMatch(/Compare 3 losses/);
      expect(await page.getByTestId('compare-normalisation').inputValue()).toBe('relative');
      await compare(page);

      expect(await page.getByTestId('compare-curve').count()).toBe(3);
      const legend = page.getByTestId('compare-legend-item');
      expect(await legend.count()).toBe(3);
      expect(await legend.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Dice/)]));
      expect(await page.getByTestId('compare-normalisation-note').textContent()).toMatch(
        /divided by its value at the current prediction/,
      );
      expect(await page.getByTestId('compare-loss-error').count()).toBe(0);

      const { coords, lines } = await curves(page);
      expect([...lines.keys()].sort()).toEqual([...CHOSEN].sort());
      const i0 = coords.indexOf(0);
      expect(i0).toBe(10);
      for (const [id, values] of lines) {
        expect(values).toHaveLength(21);
        expect(Math.abs((values[i0] as number) - 1), id).toBeLessThan(1e-6);
      }
      // Towards the ground truth (a = 1) cross-entropy falls below its current value.
      expect((lines.get('cross-entropy') as number[])[20]).toBeLessThan(1);
      expect(await page.getByTestId('compare-origin').count()).toBe(3);

      // Min–max: every line spans exactly [0, 1], and the note says so.
      await page.getByTestId('compare-normalisation').selectOption('minmax');
      expect(await page.getByTestId('compare-normalisation-note').textContent()).toMatch(/smallest value .* 0/);
      for (const [, values] of (await curves(page)).lines) {
        expect(Math.min(...values)).toBe(0);
        expect(Math.max(...values)).toBe(1);
      }
      expect(errors).toEqual([]);
      await done();
    });
  }
});

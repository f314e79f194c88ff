// Per-pixel curves take their pixel from the editor canvases: "Pick on the editor" then a click on the GT canvas,
// or Alt+click on the prediction canvas, chooses the pixel (the curves are computed there) and draws nothing.
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { fingerprint, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

/** Viewport point of the centre of grid pixel (gx, gy) on an editor canvas. */
async function pixelPoint(page: Page, testId: string, gx: number, gy: number): Promise<[number, number]> {
  const el = page.getByTestId(testId);
  await el.scrollIntoViewIfNeeded();
  const box = (await el.boundingBox()) as { x: number; y: number; width: number; height: number };
  const w = Number(await el.getAttribute('data-grid-width'));
  const h = Number(await el.getAttribute('data-grid-height'));
  return [box.x + ((gx + 0.5) / w) * box.width, box.y + ((gy + 0.5) / h) * box.height];
}

async function shownPixel(page: Page): Promise<string> {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="pixel-status"]')?.getAttribute('data-status') === 'done',
    null,
    { timeout: 60_000 },
  );
  const r = page.getByTestId('pixel-result');
  return `${await r.getAttribute('data-x')},${await r.getAttribute('data-y')}`;
}

describe('per-pixel curves: pick on the editor', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('pick mode + click on the GT, and Alt+click on the prediction, set the pixel and leave the masks alone', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1400, height: 1000 },
    });
    try {
      await waitReady(page);
      const masks = await fingerprint(page);
      const pick = page.getByTestId('pixel-pick');
      await pick.scrollIntoViewIfNeeded();
      await pick.click();
      expect(await pick.getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByTestId('gt-canvas').getAttribute('data-picking')).toBe('true');
      const [x, y] = await pixelPoint(page, 'gt-canvas', 20, 17);
      await page.mouse.click(x, y);
      expect(await shownPixel(page)).toBe('20,17');
      expect(await pick.getAttribute('aria-pressed')).toBe('false'); // one pick, then drawing again
      expect(await page.getByTestId('pixel-x').inputValue()).toBe('20');
      expect(await page.getByTestId('pixel-y').inputValue()).toBe('17');
      expect(await page.locator('[data-testid=pixel-curve][data-loss-id=cross-entropy]').count()).toBe(2);

      const [px, py] = await pixelPoint(page, 'pred-canvas', 40, 45);
      await page.keyboard.down('Alt');
      await page.mouse.click(px, py);
      await page.keyboard.up('Alt');
      await expect.poll(() => page.getByTestId('pixel-result').getAttribute('data-x')).toBe('40');
      expect(await shownPixel(page)).toBe('40,45');
      // Neither click drew: the masks are unchanged.
      expect(await fingerprint(page)).toBe(masks);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

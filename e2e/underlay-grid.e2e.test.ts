// The underlay stays in register with the masks (issue 14 §4): after a downsampled upload and a grid change it is
// kept (same shape, not stretched) and the downsampling status line goes; masks of another shape (Reset) remove
// it with a status line saying why; an underlay of another shape than the grid is refused.
import { join, resolve } from 'node:path';
import { encode } from 'fast-png';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

type Hooked = {
  __segloss: { store: { getState(): { width: number; height: number; source: string; underlay: unknown } } };
};
const state = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as Hooked).__segloss.store.getState();
    return { width: s.width, height: s.height, source: s.source, underlay: !!s.underlay };
  });

/** Displayed width / height of the underlay image over its natural width / height (1 = not stretched). */
const stretch = (page: Page) =>
  page.$eval('.mask-canvas img.underlay', (img) => {
    const r = img.getBoundingClientRect();
    const i = img as HTMLImageElement;
    return r.width / r.height / (i.naturalWidth / i.naturalHeight);
  });

describe('underlay after grid changes', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('keeps an underlay in register or removes it, and refuses one of another shape', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    const photo = Buffer.from(
      encode({ width: 600, height: 520, data: new Uint8Array(600 * 520).fill(128), channels: 1, depth: 8 }),
    );
    const underlay = { name: 'photo.png', mimeType: 'image/png', buffer: photo };
    // On the 64×64 grid a 600×520 underlay would be stretched: refused.
    await page.getByTestId('upload-underlay').setInputFiles(underlay);
    await expect.poll(() => page.getByTestId('upload-alert').textContent()).toMatch(/600×520 px but the grid is 64×64/);
    expect((await state(page)).underlay).toBe(false);
    // A 600×520 ground truth, downsampled to 512×444; then the underlay fits.
    await page
      .getByTestId('upload-target')
      .setInputFiles(join(resolve(import.meta.dirname, 'fixtures'), 'gt-binary-600x520.png'));
    await page.getByTestId('downsample').click();
    await page.waitForFunction(() => (window as unknown as Hooked).__segloss.store.getState().width === 512);
    await page.getByTestId('upload-underlay').setInputFiles(underlay);
    await page.locator('.mask-canvas img.underlay').first().waitFor();
    expect(Math.abs((await stretch(page)) - 1)).toBeLessThan(0.02);
    const status = page.getByTestId('upload-status');
    expect(await status.textContent()).toMatch(/Downsampled/);
    // A grid change keeps the shape (64×55): the underlay stays, unstretched; the downsampling line goes.
    await page.getByTestId('grid-size').selectOption('64');
    await page.waitForFunction(() => (window as unknown as Hooked).__segloss.store.getState().width === 64);
    expect(await state(page)).toMatchObject({ width: 64, height: 55, underlay: true });
    expect(Math.abs((await stretch(page)) - 1)).toBeLessThan(0.02);
    await expect.poll(() => status.textContent()).not.toMatch(/Downsampled/);
    // Reset brings back the square example: the underlay no longer fits and is removed, with a status line.
    await page.getByTestId('reset').click();
    await page.getByTestId('reset-confirm').click();
    await expect.poll(() => status.textContent()).toMatch(/Removed the underlay photo\.png: it is 600×520 px/);
    expect(await state(page)).toMatchObject({ width: 64, height: 64, underlay: false });
    expect(await page.locator('.mask-canvas img.underlay').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });
});

import npyjs from 'npyjs';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { nodeValues, shownValues, waitReady } from './fixtures/helpers';
import { downloadBytes, openPage, useBrowser } from './lib';

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const menu = page.getByTestId('export-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), bytes: await downloadBytes(file) };
}

describe('bridge to PyTorch', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('shows the reference call and exports masks that reproduce the value', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    await page.getByTestId('pytorch-snippet').locator('summary').click();
    const code = (await page.getByTestId('pytorch-snippet-text').textContent()) ?? '';
    expect(code).toContain('from monai.losses import DiceLoss');
    expect(code).toMatch(/DiceLoss\(include_background=True, to_onehot_y=True, softmax=True/);

    const target = await download(page, 'export-npy-target');
    const logits = await download(page, 'export-npy-logits');
    expect(target.name).toMatch(/^segloss-target-64x64\.npy$/);
    const t = new npyjs().parse(
      target.bytes.buffer.slice(target.bytes.byteOffset, target.bytes.byteOffset + target.bytes.length) as ArrayBuffer,
    );
    const l = new npyjs().parse(
      logits.bytes.buffer.slice(logits.bytes.byteOffset, logits.bytes.byteOffset + logits.bytes.length) as ArrayBuffer,
    );
    expect(t.shape).toEqual([1, 64, 64]);
    const [, c, h, w] = l.shape as [number, number, number, number];
    expect([h, w]).toEqual([64, 64]);
    // Back to the library's [N, H, W, C] and through the library in Node: the same values as on screen.
    const nchw = l.data as Float32Array;
    const nhwc = new Float32Array(nchw.length);
    for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) nhwc[i * c + k] = nchw[k * h * w + i] as number;
    const expected = await nodeValues(Int32Array.from(t.data as Int32Array), nhwc, h, w, c);
    const shown = await shownValues(page);
    for (const id of ['dice', 'cross-entropy', 'focal', 'hausdorff-distance']) {
      const want = expected.get(id) as number;
      expect(Math.abs((shown.get(id) as number) - want), id).toBeLessThan(1e-4 * Math.abs(want) + 1e-6);
    }
    expect(errors).toEqual([]);
    await close();
  });
});

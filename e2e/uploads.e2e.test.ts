// Uploads in headless Chromium against the built app: a binary PNG ground truth + greyscale PNG prediction give
// the values the library computes in Node for the same tensors (1e-3 relative) on WASM and WebGL (where the page
// first shows the built-in example's values: one cold WebGL start serves both checks); .npy
// predictions in H×W×C and C×H×W layouts; every bad input shows its alert and leaves the masks untouched.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encode } from 'fast-png';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exampleMasks } from '../app/editing/example';
import { DEFAULT_GRID } from '../app/store/settings';
import { FIX, gt3, gtGrey, predGrey, probs3 } from './fixtures/data';
import {
  backendOf,
  canvasStats,
  compareValues,
  fingerprint,
  flush,
  fullPageScreenshot,
  masksOf,
  nodeValues,
  shownValues,
  waitReady,
} from './fixtures/helpers';
import { connectBrowser, openPage, SCREENSHOT_DIR } from './lib';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const P_MIN = 1e-4;

/** What the explorer must build from the fixtures, computed here independently of app/io. */
function expectedBinary() {
  const target = Int32Array.from(gtGrey(), (v) => (v === 255 ? 1 : 0));
  const logits = new Float32Array(FIX * FIX * 2);
  predGrey().forEach((v, i) => {
    const p = Math.min(1 - P_MIN, Math.max(P_MIN, v / 255));
    logits[i * 2 + 1] = Math.log(p / (1 - p));
  });
  return { target, logits };
}

async function upload(page: Page, which: 'target' | 'prediction', file: string) {
  await page.getByTestId(`upload-${which}`).setInputFiles(join(FIXTURES, file));
}

async function waitForSource(page: Page, file: string) {
  await page.waitForFunction(
    (f) =>
      (window as unknown as { __segloss: { store: { getState(): { source: string } } } }).__segloss.store.getState()
        .source === f,
    file,
    { timeout: 20_000 },
  );
}

async function alertText(page: Page): Promise<string> {
  const alert = page.getByTestId('upload-alert');
  await alert.waitFor({ state: 'visible', timeout: 20_000 });
  expect(await alert.getAttribute('role')).toBe('alert');
  return (await alert.textContent()) ?? '';
}

describe('uploads', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let expected: Map<string, number | string>;
  beforeAll(async () => {
    browser = await connectBrowser();
    const { target, logits } = expectedBinary();
    expected = await nodeValues(target, logits, FIX, FIX, 2);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const backend of ['wasm', 'webgl'] as const) {
    it(`binary PNG GT + greyscale PNG prediction match the library in Node (${backend})`, async () => {
      const { page, errors, close } = await openPage(browser, `${baseUrl}/?backend=${backend}`, {
        viewport: { width: 1400, height: 1000 },
      });
      await waitReady(page);
      expect(await backendOf(page)).toBe(backend);
      if (backend === 'webgl') {
        // ?backend=webgl runs the maths on WebGL (backendOf asks the compute worker) and the example's values
        // and heatmap match Node before anything is uploaded.
        expect(await page.getByTestId('backend').textContent()).toMatch(/^webgl/);
        const m = exampleMasks(DEFAULT_GRID);
        const example = await nodeValues(m.target, m.logits, m.height, m.width, m.numClasses);
        expect(compareValues(await shownValues(page), example)).toEqual([]);
        expect((await canvasStats(page, '[data-testid="gradient-heatmap"]')).distinct).toBeGreaterThan(20);
        await fullPageScreenshot(page, join(SCREENSHOT_DIR, 'explorer-webgl.png'));
      }
      await upload(page, 'target', 'gt-binary-64.png');
      await waitForSource(page, 'gt-binary-64.png');
      await upload(page, 'prediction', 'pred-grey-64.png');
      await waitForSource(page, 'pred-grey-64.png');
      const m = await masksOf(page);
      const want = expectedBinary();
      expect([m.width, m.height, m.numClasses]).toEqual([FIX, FIX, 2]);
      expect(m.target).toEqual(Array.from(want.target));
      for (let i = 0; i < want.logits.length; i++) {
        if (Math.abs(m.logits[i]! - want.logits[i]!) > 1e-5)
          throw new Error(`logit ${i}: ${m.logits[i]} vs ${want.logits[i]}`);
      }
      expect(await page.getByTestId('upload-alert').count()).toBe(0);
      await flush(page);
      expect(compareValues(await shownValues(page), expected)).toEqual([]);
      if (backend === 'wasm') await fullPageScreenshot(page, join(SCREENSHOT_DIR, 'uploads.png'));
      expect(errors).toEqual([]);
      await close();
    });
  }

  it('reads .npy predictions in H×W×C and C×H×W layouts', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    await waitReady(page);
    await upload(page, 'target', 'gt-3class-64.png');
    await waitForSource(page, 'gt-3class-64.png');
    const gt = await masksOf(page);
    expect(gt.numClasses).toBe(3);
    expect(gt.target).toEqual(Array.from(gt3()));
    const p = probs3();
    const want = Array.from(p, (v) => Math.log(Math.min(1 - P_MIN, Math.max(P_MIN, v))));
    const seen: number[][] = [];
    for (const file of ['pred-3class-hwc-64.npy', 'pred-3class-chw-64.npy']) {
      await upload(page, 'prediction', file);
      await waitForSource(page, file);
      const m = await masksOf(page);
      expect([m.width, m.height, m.numClasses]).toEqual([FIX, FIX, 3]);
      for (let i = 0; i < want.length; i++) {
        // logits = log of the clamped probabilities (renormalised: a 1e-4 clamp changes the sum by ≤ 1e-4)
        if (Math.abs(m.logits[i]! - want[i]!) > 2e-4)
          throw new Error(`${file} logit ${i}: ${m.logits[i]} vs ${want[i]}`);
      }
      expect(await page.getByTestId('upload-status').textContent()).toMatch(/probabilities, 3 classes/);
      seen.push(m.logits);
      await flush(page);
      const values = await shownValues(page);
      expect(values.size).toBeGreaterThan(5);
      for (const [id, v] of values) expect(Number.isFinite(v), id).toBe(true);
    }
    expect(seen[1]).toEqual(seen[0]);
    // The toggle overrides the guess: the same file read as logits.
    await page.getByTestId('npy-reading').selectOption('logits');
    await upload(page, 'prediction', 'pred-3class-hwc-64.npy');
    await page.waitForFunction(() =>
      /logits, 3 classes/.test(document.querySelector('[data-testid="upload-status"]')?.textContent ?? ''),
    );
    const asLogits = await masksOf(page);
    expect(asLogits.logits.slice(0, 6).map((v) => Math.round(v * 1e6) / 1e6)).toEqual(
      Array.from(p.slice(0, 6), (v) => Math.round(v * 1e6) / 1e6),
    );
    expect(errors).toEqual([]);
    await close();
  });

  it('loads files dropped on the canvases', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    await waitReady(page);
    for (const [testId, file] of [
      ['gt-canvas', 'gt-binary-64.png'],
      ['pred-canvas', 'pred-grey-64.png'],
    ] as const) {
      const b64 = readFileSync(join(FIXTURES, file)).toString('base64');
      const dt = await page.evaluateHandle(
        ({ b64, name }) => {
          const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
          const d = new DataTransfer();
          d.items.add(new File([bytes], name, { type: 'image/png' }));
          return d;
        },
        { b64, name: file },
      );
      await page.getByTestId(testId).dispatchEvent('dragover', { dataTransfer: dt });
      await page.getByTestId(testId).dispatchEvent('drop', { dataTransfer: dt });
      await waitForSource(page, file);
    }
    const m = await masksOf(page);
    const want = expectedBinary();
    expect(m.target).toEqual(Array.from(want.target));
    expect(Math.abs(m.logits[2 * 32 * FIX + 65]! - want.logits[2 * 32 * FIX + 65]!)).toBeLessThan(1e-5);
    expect(errors).toEqual([]);
    await close();
  });

  it('reads palette-coloured PNG, JPEG and WebP label maps', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    await waitReady(page);
    await upload(page, 'target', 'gt-palette-64.png');
    await waitForSource(page, 'gt-palette-64.png');
    expect((await masksOf(page)).target).toEqual(Array.from(gt3()));
    expect(await page.getByTestId('upload-status').textContent()).toMatch(/colours matched to the palette/);
    // Lossy formats, encoded by the browser itself from the binary fixture, dropped on the GT canvas.
    const want = Array.from(gtGrey(), (v) => (v === 255 ? 1 : 0));
    for (const [type, name] of [
      ['image/jpeg', 'mask.jpg'],
      ['image/webp', 'mask.webp'],
    ] as const) {
      const dt = await page.evaluateHandle(
        async ({ grey, type, name, size }) => {
          const c = new OffscreenCanvas(size, size);
          const ctx = c.getContext('2d')!;
          const img = ctx.createImageData(size, size);
          for (let i = 0; i < grey.length; i++) img.data.set([grey[i]!, grey[i]!, grey[i]!, 255], i * 4);
          ctx.putImageData(img, 0, 0);
          const blob = await c.convertToBlob({ type, quality: 0.92 });
          const d = new DataTransfer();
          d.items.add(new File([blob], name, { type }));
          return d;
        },
        { grey: Array.from(gtGrey()), type, name, size: FIX },
      );
      await page.getByTestId('gt-canvas').dispatchEvent('drop', { dataTransfer: dt });
      await waitForSource(page, name);
      const m = await masksOf(page);
      expect(Math.max(...m.target)).toBe(1); // the 3 classes of the previous map stay available
      let wrong = 0;
      for (let i = 0; i < want.length; i++) if (m.target[i] !== want[i]) wrong++;
      expect(wrong, name).toBeLessThan(want.length * 0.01);
    }
    expect(errors).toEqual([]);
    await close();
  });

  it('shows an alert for each bad input and keeps the masks', async () => {
    const { page, close } = await openPage(browser, `${baseUrl}/`, { viewport: { width: 1400, height: 1000 } });
    await waitReady(page);
    const cases: [string, 'target' | 'prediction', RegExp][] = [
      ['not-an-image.txt', 'target', /not a supported file/],
      ['not-an-image.txt', 'prediction', /not a supported file/],
      ['gt-truncated.png', 'target', /could not be decoded|damaged/],
      ['pred-grey-32.png', 'prediction', /32×32 but the ground truth is/],
      ['gt-10class-64.png', 'target', /at most 8 classes/],
      ['gt-binary-600x520.png', 'target', /at most 512 px a side/],
    ];
    for (const [file, which, message] of cases) {
      const before = await fingerprint(page);
      await upload(page, which, file);
      const text = await alertText(page);
      expect(text, file).toMatch(message);
      expect(await fingerprint(page), file).toBe(before);
      await page.getByRole('button', { name: 'Dismiss' }).click();
    }
    // The too-large case offers downsampling (nearest for labels), with a notice.
    await upload(page, 'target', 'gt-binary-600x520.png');
    await alertText(page);
    await page.getByTestId('downsample').click();
    await waitForSource(page, 'gt-binary-600x520.png');
    const m = await masksOf(page);
    expect([m.width, m.height]).toEqual([512, 443]);
    expect(await page.getByTestId('upload-status').textContent()).toMatch(/Downsampled the ground truth from 600×520/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'uploads-downsampled.png') });
    await close();
  });
  it('reads the colour of transparent PNG pixels and refuses 16-bit PNGs (issue 14)', async () => {
    const { page, close } = await openPage(browser, `${baseUrl}/`, { viewport: { width: 1400, height: 1000 } });
    await waitReady(page);
    // 8×8 grey+alpha: left half 255 with alpha 0 (still foreground), right half 0 with alpha 255.
    const ga = new Uint8Array(8 * 8 * 2);
    for (let i = 0; i < 64; i++) ga.set(i % 8 < 4 ? [255, 0] : [0, 255], i * 2);
    const alphaPng = Buffer.from(encode({ width: 8, height: 8, data: ga, channels: 2, depth: 8 }));
    await page
      .getByTestId('upload-target')
      .setInputFiles({ name: 'gt-alpha.png', mimeType: 'image/png', buffer: alphaPng });
    await waitForSource(page, 'gt-alpha.png');
    const m = await masksOf(page);
    expect(Array.from(m.target)).toEqual(Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 1 : 0)));
    const before = await fingerprint(page);
    const deep = Buffer.from(
      encode({ width: 8, height: 8, data: new Uint16Array(64).fill(2), channels: 1, depth: 16 }),
    );
    await page
      .getByTestId('upload-target')
      .setInputFiles({ name: 'gt-16bit.png', mimeType: 'image/png', buffer: deep });
    expect(await alertText(page)).toMatch(/16 bits per channel/);
    expect(await fingerprint(page)).toBe(before);
    await close();
  });
});

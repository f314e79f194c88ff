// Regression test (issue 14 §1.1): a page whose FIRST WebGL computation is at 128² or 256² showed wrong values
// for Boundary-aware, Active Boundary, InverseForm and Combo for the rest of its life. Cause: TF.js's shape
// uniforms (WEBGL_USE_SHAPES_UNIFORMS) key compiled programs on an incomplete summary of the texture layout
// (tfjs#6478), so the program compiled for one layout was reused for another. Each size gets a cold page (a
// fresh context, so no program is cached) and every loss's value and gradient on the built-in example is
// compared with the cpu backend (the golden page's own, e2e/example-reference.ts, computed before any WebGL
// work). The explorer itself is checked cold at 128² as well, against Node.
import '@tensorflow/tfjs-backend-cpu';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadInverseFormNetFromFile } from '../src/inverseform/load-node';
import { IMPLEMENTED_LOSSES } from '../src/registry';
import { tf } from '../src/tf';
import { compareValues, masksOf, nodeValues, shownValues, waitReady } from './fixtures/helpers';
import { connectBrowser, openGoldenPage, openPage } from './lib';

/**
 * Losses whose gradient is not unique where the example has ties, so the backends pick different (equally valid)
 * gradients: Lovász (equal errors in the sort), RMI (equal clamped probabilities under max-pooling) and InverseForm
 * (at 256², its network's ReLUs at 0). Node's wasm backend differs from cpu there by as much as WebGL does
 * (max |Δg| at 128²: RMI 4.8e-3 on both; InverseForm at 256²: 9.7e-6 wasm, 7.3e-6 webgl), so here only their
 * values are compared; their gradients are checked by the golden files on every backend.
 */
const NON_UNIQUE_GRADS = new Set(['lovasz-softmax', 'region-mutual-information', 'inverseform']);

describe('WebGL cold start at every grid size', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    await loadInverseFormNetFromFile();
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const size of [64, 128, 256]) {
    it(`every loss equals the cpu backend when the page's first WebGL work is at ${size}²`, async () => {
      const page = await openGoldenPage(browser, baseUrl);
      try {
        // the reference on the page's cpu backend (the TF.js kernels Node's cpu backend runs), kept in the page:
        // no WebGL program is compiled before the check below
        expect((await page.setBackend('cpu')).backend).toBe('cpu');
        await page.loadInverseFormNet();
        const files = await page.makeExampleReference(size);
        expect(files).toBe(IMPLEMENTED_LOSSES.length);
        expect((await page.setBackend('webgl')).backend).toBe('webgl');
        const results = await page.checkExampleReference();
        expect(results).toHaveLength(files);
        const problems: string[] = [];
        for (const r of results) {
          const valueOk = r.valueError !== null && r.valueTol !== null && r.valueError <= r.valueTol;
          if (NON_UNIQUE_GRADS.has(r.loss) ? !valueOk : !r.passed) problems.push(`${r.loss}: ${r.reason}`);
        }
        expect(problems).toEqual([]);
        expect(page.errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('the explorer opened cold at 128² on ?backend=webgl shows the values Node computes', async () => {
    // Save a 128² session on the default backend, then reload the same context on WebGL: a cold WebGL start at 128².
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    try {
      await waitReady(page);
      await page.getByTestId('grid-size').selectOption('128');
      await page.waitForFunction(() => {
        const s = (window as unknown as { __segloss: { store: { getState(): { width: number } } } }).__segloss;
        return s.store.getState().width === 128;
      });
      await waitReady(page);
      // The autosave is debounced: wait until the saved session holds the 128² grid.
      await page.waitForFunction(
        () => /"gridSize":128/.test(localStorage.getItem('segloss-explorer:session') ?? ''),
        null,
        {
          timeout: 30_000,
        },
      );
      await page.goto(`${baseUrl}/?backend=webgl`);
      // the first requests compile the shaders (seconds on SwiftShader), and the page says so meanwhile
      await page.getByText('preparing WebGL…').first().waitFor({ timeout: 60_000 });
      await waitReady(page);
      expect(await page.getByText('preparing WebGL…').count()).toBe(0);
      // `ready` resolves once InverseForm's network is loaded; then compute once more.
      await page.evaluate(async () => {
        const h = (window as unknown as { __segloss: { ready: Promise<void>; flush(): Promise<void> } }).__segloss;
        await h.ready;
        await h.flush();
      });
      expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe('webgl');
      const m = await masksOf(page); // the 64² example resampled to 128² by the grid switch
      expect([m.width, m.height]).toEqual([128, 128]);
      const expected = await nodeValues(
        Int32Array.from(m.target),
        Float32Array.from(m.logits),
        m.height,
        m.width,
        m.numClasses,
      );
      expect(compareValues(await shownValues(page), expected)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

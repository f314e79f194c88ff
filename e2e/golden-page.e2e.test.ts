// Smoke test of the browser harness and the golden runner page: WebGL really active on Chromium's
// software renderer, and the cross-entropy and Dice golden cases pass in the browser on webgl and wasm.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type GoldenPage, launchBrowser, openGoldenPage, REPO_ROOT } from './lib';

const files = ['cross-entropy', 'dice'].map((id) => {
  const name = `src/golden/data/${id}.json`;
  return { name, text: readFileSync(join(REPO_ROOT, name), 'utf8') };
});

describe('golden runner page', () => {
  let browser: Browser;
  let page: GoldenPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await openGoldenPage(browser, inject('baseUrl'));
  });
  afterAll(async () => {
    await page?.close();
    await browser?.close();
  });

  it('runs TF.js on WebGL2 (not a silent fallback) and names the renderer', async () => {
    const info = await page.setBackend('webgl');
    expect(info.backend).toBe('webgl');
    expect(info.webglVersion).toBe(2);
    expect(info.renderer.length).toBeGreaterThan(0);
  });

  for (const backend of ['webgl', 'wasm'] as const) {
    it(`passes the cross-entropy and Dice golden cases on ${backend}`, async () => {
      expect((await page.setBackend(backend)).backend).toBe(backend);
      const before = await page.numTensors();
      const results = await page.runGolden(files);
      expect(results.length).toBe(19);
      expect(results.filter((r) => !r.passed).map((r) => `${r.loss}/${r.caseId}: ${r.reason}`)).toEqual([]);
      expect(await page.numTensors()).toBe(before);
    });
  }

  it('reports an unparsable file as a failed case instead of throwing', async () => {
    const [r] = await page.runGolden([{ name: 'broken.json', text: '{ not json' }]);
    expect(r?.passed).toBe(false);
    expect(r?.reason).toMatch(/not valid JSON/);
  });

  it('logged no errors', () => {
    expect(page.errors).toEqual([]);
  });
});

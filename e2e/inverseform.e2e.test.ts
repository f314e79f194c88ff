// InverseForm on WebGL (Chromium, SwiftShader): the same value (within 1e-3) and gradient (within 1e-3 of
// its largest entry) as the Node cpu backend. The cpu numbers are computed here and handed to the golden
// runner page as an ad-hoc golden file; the page loads the network through
// `window.seglossGolden.loadInverseFormNet(url)` (e2e/golden-page.ts).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { lossAndGrad } from '../src/compute';
import type { GoldenFile } from '../src/golden/format';
import { loadInverseFormNetFromFile } from '../src/inverseform/load-node';
import { confidentLogits, normal, rng } from '../src/testing/properties';
import { tf } from '../src/tf';
import { type GoldenPage, launchBrowser, openGoldenPage } from './lib';

function disc(h: number, w: number, cy: number, cx: number, r: number): Int32Array {
  return Int32Array.from({ length: h * w }, (_, i) =>
    (Math.floor(i / w) - cy) ** 2 + ((i % w) - cx) ** 2 <= r * r ? 1 : 0,
  );
}

async function cpuFile(): Promise<GoldenFile> {
  await tf.setBackend('cpu');
  await loadInverseFormNetFromFile();
  const cases: GoldenFile['cases'] = [];
  const specs: {
    id: string;
    shape: [number, number, number, number];
    target: Int32Array;
    params: Record<string, string>;
  }[] = [
    { id: 'native-2x2', shape: [1, 64, 64, 2], target: disc(64, 64, 30, 27, 14), params: {} },
    {
      id: 'resized-1x1',
      shape: [1, 20, 24, 2],
      target: disc(20, 24, 9, 12, 6),
      params: { identityReference: 'gt-self' },
    },
  ];
  for (const s of specs) {
    const x = confidentLogits(s.target, s.shape, 3);
    const noise = normal(rng(cases.length + 1), x.length, 1);
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + (noise[i] as number);
    const { value, grad } = lossAndGrad(
      'inverseform',
      tf.tensor4d(x, s.shape),
      tf.tensor3d(s.target, s.shape.slice(0, 3) as [number, number, number], 'int32'),
      s.params,
    );
    cases.push({
      id: s.id,
      params: s.params,
      shape: s.shape,
      logits: Array.from(x),
      target: Array.from(s.target),
      value: value.dataSync()[0] as number,
      grad: Array.from(grad.dataSync()),
      // absolute value tolerance 4 × 2.5e-4 = 1e-3 (the checker's webgl relative bound is 1e-3 as well)
      float32Deviation: { value: 2.5e-4, grad: 0 },
      note: 'cross-backend check: Node cpu backend value',
    });
    tf.dispose([value, grad]);
  }
  return {
    format: 'seg-loss-golden/1',
    loss: 'inverseform',
    kind: 'property',
    reference: 'Node cpu backend (cross-backend agreement)',
    defaults: {},
    binaryOnly: false,
    cases,
  };
}

describe('inverseform on webgl', () => {
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

  it('gives the cpu value within 1e-3 and the cpu gradient within 1e-3 of its maximum', async () => {
    const file = await cpuFile();
    expect((await page.setBackend('webgl')).backend).toBe('webgl');
    await page.page.evaluate(
      (url) => window.seglossGolden?.loadInverseFormNet(url),
      `${inject('baseUrl')}/models/inverseform/model.json`,
    );
    const results = await page.runGolden([{ name: 'inverseform-cpu.json', text: JSON.stringify(file) }]);
    expect(results.length).toBe(2);
    expect(results.filter((r) => !r.passed).map((r) => `${r.caseId}: ${r.reason}`)).toEqual([]);
  });
});

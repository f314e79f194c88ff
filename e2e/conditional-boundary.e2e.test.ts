// Conditional Boundary Loss on WebGL (Chromium, SwiftShader): the same value and gradient as the Node cpu
// backend (golden-checker tolerance for webgl: 1e-3 relative), through an ad-hoc golden file.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { lossAndGrad } from '../src/compute';
import type { GoldenFile } from '../src/golden/format';
import { confidentLogits, normal, rng } from '../src/testing/properties';
import { tf } from '../src/tf';
import { type GoldenPage, launchBrowser, openGoldenPage } from './lib';

function labels(h: number, w: number): Int32Array {
  return Int32Array.from({ length: h * w }, (_, i) => {
    const y = Math.floor(i / w);
    const x = i % w;
    if ((y - 7) ** 2 + (x - 6) ** 2 <= 16) return 1;
    return x >= 11 && y >= 3 && y <= 12 ? 2 : 0;
  });
}

async function cpuFile(): Promise<GoldenFile> {
  await tf.setBackend('cpu');
  const shape: [number, number, number, number] = [1, 16, 16, 3];
  const t = labels(16, 16);
  const cases: GoldenFile['cases'] = [];
  const settings: { id: string; params: Record<string, boolean | number> }[] = [
    { id: 'default', params: {} },
    { id: 'with-ce', params: { withCrossEntropy: true, dilationRatio: 0.1 } },
  ];
  for (const s of settings) {
    // mostly correct prediction with noise: every term is active
    const x = confidentLogits(t, shape, 2);
    const noise = normal(rng(cases.length + 3), x.length, 1);
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + (noise[i] as number);
    const { value, grad } = lossAndGrad(
      'conditional-boundary',
      tf.tensor4d(x, shape),
      tf.tensor3d(t, [1, 16, 16], 'int32'),
      s.params,
    );
    cases.push({
      id: s.id,
      params: s.params,
      shape,
      logits: Array.from(x),
      target: Array.from(t),
      value: value.dataSync()[0] as number,
      grad: Array.from(grad.dataSync()),
      note: 'cross-backend check: Node cpu backend value',
    });
    tf.dispose([value, grad]);
  }
  return {
    format: 'seg-loss-golden/1',
    loss: 'conditional-boundary',
    kind: 'property',
    reference: 'Node cpu backend (cross-backend agreement)',
    defaults: {},
    binaryOnly: false,
    cases,
  };
}

describe('conditional-boundary on webgl', () => {
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

  it('gives the cpu value and gradient within the webgl golden tolerance', async () => {
    const file = await cpuFile();
    expect((await page.setBackend('webgl')).backend).toBe('webgl');
    const results = await page.runGolden([{ name: 'conditional-boundary-cpu.json', text: JSON.stringify(file) }]);
    expect(results.length).toBe(2);
    expect(results.filter((r) => !r.passed).map((r) => `${r.caseId}: ${r.reason}`)).toEqual([]);
  });
});

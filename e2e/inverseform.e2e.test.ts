// InverseForm on WebGL (Chromium, SwiftShader): the same value (within 1e-3) and gradient (within 1e-3 of
// its largest entry) as the Node cpu backend. The cpu numbers are computed here and handed to the golden
// runner page as an ad-hoc golden file; the page loads the network through
// `window.seglossGolden.loadInverseFormNet(url)` (e2e/golden-page.ts).
import { describe, expect, inject, it } from 'vitest';
import { loadInverseFormNetFromFile } from '../src/inverseform/load-node';
import { cpuAgreementFile, useGoldenPage } from './lib';

function disc(h: number, w: number, cy: number, cx: number, r: number): Int32Array {
  return Int32Array.from({ length: h * w }, (_, i) =>
    (Math.floor(i / w) - cy) ** 2 + ((i % w) - cx) ** 2 <= r * r ? 1 : 0,
  );
}

// absolute value tolerance 4 × 2.5e-4 = 1e-3 (the checker's webgl relative bound is 1e-3 as well)
const float32Deviation = { value: 2.5e-4, grad: 0 };

describe('inverseform on webgl', () => {
  const page = useGoldenPage();

  it('gives the cpu value within 1e-3 and the cpu gradient within 1e-3 of its maximum', async () => {
    await loadInverseFormNetFromFile();
    const file = await cpuAgreementFile('inverseform', [
      {
        id: 'native-2x2',
        shape: [1, 64, 64, 2],
        target: disc(64, 64, 30, 27, 14),
        params: {},
        margin: 3,
        float32Deviation,
      },
      {
        id: 'resized-1x1',
        shape: [1, 20, 24, 2],
        target: disc(20, 24, 9, 12, 6),
        params: { identityReference: 'gt-self' },
        margin: 3,
        float32Deviation,
      },
    ]);
    expect((await page().setBackend('webgl')).backend).toBe('webgl');
    await page().page.evaluate(
      (url) => window.seglossGolden?.loadInverseFormNet(url),
      `${inject('baseUrl')}/models/inverseform/model.json`,
    );
    const results = await page().runGolden([{ name: 'inverseform-cpu.json', text: JSON.stringify(file) }]);
    expect(results.length).toBe(2);
    expect(results.filter((r) => !r.passed).map((r) => `${r.caseId}: ${r.reason}`)).toEqual([]);
  });
});

// InverseForm on WebGL (Chromium, SwiftShader): the same value (within 1e-3) and gradient (within 1e-3 of
// its largest entry) as the Node cpu backend, for inputs where every tile runs the network and, with tile
// skipping, for a flat prediction where most 32×32 tiles of a 128² image hold no boundary (the network runs on
// a few tiles and the others add a constant). The cpu numbers are computed here and handed to the golden
// runner page as an ad-hoc golden file; the page loads the network through
// `window.seglossGolden.loadInverseFormNet(url)` (e2e/golden-page.ts). Both tests share one page.
import { describe, expect, inject, it } from 'vitest';
import { lossAndGrad } from '../src/compute';
import { loadInverseFormNetFromFile } from '../src/inverseform/load-node';
import { confidentLogits } from '../src/testing/properties';
import { tf } from '../src/tf';
import { cpuAgreementFile, float32List, useGoldenPage } from './lib';

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

  it('skips empty tiles: a disc in one corner of a 4×4-tile image gives the cpu value and gradient', async () => {
    await loadInverseFormNetFromFile();
    const target = disc(128, 128, 24, 26, 12);
    const file = await cpuAgreementFile('inverseform', [
      { id: 'corner-disc', shape: [1, 128, 128, 2], target, params: {}, margin: 3, float32Deviation },
      {
        id: 'corner-disc-gt-self',
        shape: [1, 128, 128, 2],
        target,
        params: { identityReference: 'gt-self' },
        margin: 3,
        float32Deviation,
      },
    ]);
    // cpuAgreementFile adds noise to the logits (then no tile is empty): replace them by a flat prediction of the
    // disc shifted by 2 px, and the reference numbers by the cpu backend's for it
    const flat = confidentLogits(disc(128, 128, 26, 28, 12), [1, 128, 128, 2], 3);
    for (const c of file.cases) {
      const logits = tf.tensor4d(flat, [1, 128, 128, 2]);
      const t = tf.tensor3d(target, [1, 128, 128], 'int32');
      const { value, grad } = lossAndGrad('inverseform', logits, t, c.params);
      Object.assign(c, { logits: float32List(flat), value: value.dataSync()[0], grad: float32List(grad.dataSync()) });
      tf.dispose([logits, t, value, grad]);
    }
    expect((await page().setBackend('webgl')).backend).toBe('webgl');
    await page().page.evaluate(
      (url) => window.seglossGolden?.loadInverseFormNet(url),
      `${inject('baseUrl')}/models/inverseform/model.json`,
    );
    const results = await page().runGolden([{ name: 'inverseform-tiles-cpu.json', text: JSON.stringify(file) }]);
    expect(results.filter((r) => !r.passed).map((r) => `${r.caseId}: ${r.reason}`)).toEqual([]);
    expect(results.length).toBe(2);
  });
});

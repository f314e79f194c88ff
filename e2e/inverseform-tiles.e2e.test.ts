// InverseForm's tile skipping on WebGL: with a flat prediction most 32×32 tiles of a 128² image hold no boundary
// at all, so the network runs on a few tiles and the others add a constant. Value and gradient must still be
// those of the Node cpu backend (as e2e/inverseform.e2e.test.ts checks for inputs where every tile runs).
import { describe, expect, inject, it } from 'vitest';
import { lossAndGrad } from '../src/compute';
import { loadInverseFormNetFromFile } from '../src/inverseform/load-node';
import { confidentLogits } from '../src/testing/properties';
import { tf } from '../src/tf';
import { cpuAgreementFile, useGoldenPage } from './lib';

const disc = (h: number, w: number, cy: number, cx: number, r: number) =>
  Int32Array.from({ length: h * w }, (_, i) => ((Math.floor(i / w) - cy) ** 2 + ((i % w) - cx) ** 2 <= r * r ? 1 : 0));
const float32Deviation = { value: 2.5e-4, grad: 0 };

describe('inverseform tile skipping on webgl', () => {
  const page = useGoldenPage();

  it('a disc in one corner of a 4×4-tile image: the cpu value and gradient', async () => {
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
      Object.assign(c, { logits: Array.from(flat), value: value.dataSync()[0], grad: Array.from(grad.dataSync()) });
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

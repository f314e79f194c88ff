// Smoke test of the browser harness and the golden runner page: WebGL really active on Chromium's
// software renderer, and the cross-entropy and Dice golden cases pass in the browser on webgl and wasm.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, useGoldenPage } from './lib';

const files = ['cross-entropy', 'dice'].map((id) => {
  const name = `src/golden/data/${id}.json`;
  return { name, text: readFileSync(join(REPO_ROOT, name), 'utf8') };
});

describe('golden runner page', () => {
  const golden = useGoldenPage();

  it('runs TF.js on WebGL2 (not a silent fallback) and names the renderer', async () => {
    const info = await golden().setBackend('webgl');
    expect(info.backend).toBe('webgl');
    expect(info.webglVersion).toBe(2);
    expect(info.renderer.length).toBeGreaterThan(0);
  });

  for (const backend of ['webgl', 'wasm'] as const) {
    it(`passes the cross-entropy and Dice golden cases on ${backend}`, async () => {
      expect((await golden().setBackend(backend)).backend).toBe(backend);
      const before = await golden().numTensors();
      const results = await golden().runGolden(files);
      expect(results.length).toBe(19);
      expect(results.filter((r) => !r.passed).map((r) => `${r.loss}/${r.caseId}: ${r.reason}`)).toEqual([]);
      expect(await golden().numTensors()).toBe(before);
    });
  }

  for (const backend of ['webgl', 'wasm'] as const) {
    it(`refuses NaN/±Infinity logits on ${backend} with the same message as in Node (issue 14)`, async () => {
      expect((await golden().setBackend(backend)).backend).toBe(backend);
      const msg = 'logits contain 3 NaN and 1 +Infinity values (first at n=0, y=4, x=7, class 1)';
      expect(await golden().nonFiniteErrors()).toEqual({
        computeLoss: `unified-focal: ${msg}`,
        lossAndGrad: `dice: ${msg}`,
        engine: msg,
        leaked: 0,
      });
    });
  }

  it('reports an unparsable file as a failed case instead of throwing', async () => {
    const [r] = await golden().runGolden([{ name: 'broken.json', text: '{ not json' }]);
    expect(r?.passed).toBe(false);
    expect(r?.reason).toMatch(/not valid JSON/);
  });

  it('logged no errors', () => {
    expect(golden().errors).toEqual([]);
  });
});

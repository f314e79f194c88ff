// Conditional Boundary Loss on WebGL (Chromium, SwiftShader): the same value and gradient as the Node cpu
// backend (golden-checker tolerance for webgl: 1e-3 relative), through an ad-hoc golden file.
import { describe, expect, it } from 'vitest';
import { cpuAgreementFile, useGoldenPage } from './lib';

function labels(h: number, w: number): Int32Array {
  return Int32Array.from({ length: h * w }, (_, i) => {
    const y = Math.floor(i / w);
    const x = i % w;
    if ((y - 7) ** 2 + (x - 6) ** 2 <= 16) return 1;
    return x >= 11 && y >= 3 && y <= 12 ? 2 : 0;
  });
}

describe('conditional-boundary on webgl', () => {
  const page = useGoldenPage();

  it('gives the cpu value and gradient within the webgl golden tolerance', async () => {
    // a mostly correct prediction with noise, so that every term is active
    const base = { shape: [1, 16, 16, 3] as [number, number, number, number], target: labels(16, 16), margin: 2 };
    const file = await cpuAgreementFile('conditional-boundary', [
      { ...base, id: 'default', params: {} },
      { ...base, id: 'with-ce', params: { withCrossEntropy: true, dilationRatio: 0.1 } },
    ]);
    expect((await page().setBackend('webgl')).backend).toBe('webgl');
    const results = await page().runGolden([{ name: 'conditional-boundary-cpu.json', text: JSON.stringify(file) }]);
    expect(results.length).toBe(2);
    expect(results.filter((r) => !r.passed).map((r) => `${r.caseId}: ${r.reason}`)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { classColor } from '../../editing/palette';
import { probabilitiesFromLogits } from '../../editing/prediction';
import { paintProbabilities } from './paint';

/** The unfused painter: probabilitiesFromLogits, then the colours mixed by probability (what paint.ts did before). */
function reference(logits: Float32Array, n: number, C: number, transparent: boolean, a: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(n * 4);
  const probs = probabilitiesFromLogits(logits, C);
  for (let i = 0; i < n; i++) {
    let [r, g, b] = [0, 0, 0];
    for (let c = 0; c < C; c++) {
      const p = probs[i * C + c] as number;
      const col = classColor(c);
      r += p * col[0];
      g += p * col[1];
      b += p * col[2];
    }
    if (transparent) {
      const fg = 1 - (probs[i * C] as number);
      out.set([fg > 1e-6 ? Math.min(255, r / fg) : 0, fg > 1e-6 ? Math.min(255, g / fg) : 0], i * 4);
      out[i * 4 + 2] = fg > 1e-6 ? Math.min(255, b / fg) : 0;
      out[i * 4 + 3] = Math.round(255 * a * fg);
    } else {
      out.set([r, g, b, Math.round(255 * a)], i * 4);
    }
  }
  return out;
}

describe('paintProbabilities', () => {
  it('gives the same bytes as mixing the float32 probabilities of probabilitiesFromLogits', () => {
    for (const C of [2, 3, 5]) {
      const n = 997;
      // smooth, saturated and tied logits (the fused softmax must round where the unfused one did)
      const logits = Float32Array.from({ length: n * C }, (_, i) =>
        i % 7 === 0 ? 0 : i % 11 === 0 ? 40 * Math.sign(Math.sin(i)) : 3 * Math.sin(i * 0.37),
      );
      for (const [transparent, a] of [
        [false, 1],
        [true, 0.75],
        [false, 0.5],
      ] as const) {
        const out = new Uint8ClampedArray(n * 4);
        paintProbabilities(logits, n, C, { transparentBackground: transparent, alpha: a }, out);
        expect(Array.from(out)).toEqual(Array.from(reference(logits, n, C, transparent, a)));
      }
    }
  });
});

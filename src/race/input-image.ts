// The tiny network's input when no underlay is loaded: an image rendered from the ground truth, like a toy scan —
// class k has intensity 0.2 + 0.6·k/(C−1), plus seeded Gaussian noise (σ = 0.15), then a 3×3 binomial blur
// (weights 1-2-1 per axis, edges clamped). Plain arrays: cheap, and identical on every backend.
import { mulberry32 } from '../ops/random';

export const INPUT_NOISE_STD = 0.15;

export function renderInputFromTarget(
  target: ArrayLike<number>,
  width: number,
  height: number,
  numClasses: number,
  seed: number,
): Float32Array {
  const rand = mulberry32(seed ^ 0x5eed);
  const raw = new Float32Array(width * height);
  for (let i = 0; i < raw.length; i++) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const noise = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v) * INPUT_NOISE_STD;
    raw[i] = 0.2 + (0.6 * (target[i] as number)) / Math.max(1, numClasses - 1) + noise;
  }
  const k = [1, 2, 1];
  const at = (x: number, y: number) =>
    raw[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))] as number;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) s += (k[dy + 1] as number) * (k[dx + 1] as number) * at(x + dx, y + dy);
      out[y * width + x] = s / 16;
    }
  return out;
}

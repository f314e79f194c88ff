/**
 * The built-in example: 2 classes; the ground truth holds a disc, a rectangle and a thin diagonal line; the
 * prediction is the ground truth shifted by a few pixels and blurred (an imperfect but plausible output).
 * Shapes are defined in fractions of the grid so every grid size shows the same picture.
 */
import type { Masks } from './grid';
import { paintDisc, paintRect, paintStroke } from './labels';
import { blurPrediction, perfectLogits, shiftPrediction } from './prediction';

export function exampleTarget(size: number): Int32Array {
  const g = { width: size, height: size };
  const s = size / 64;
  let t: Int32Array<ArrayBufferLike> = new Int32Array(size * size);
  t = paintDisc(t, g, 20 * s, 22 * s, 10 * s, 1);
  t = paintRect(t, g, { x: 36 * s, y: 30 * s }, { x: 54 * s, y: 50 * s }, 1);
  t = paintStroke(
    t,
    g,
    [
      { x: 8 * s, y: 56 * s },
      { x: 30 * s, y: 40 * s },
    ],
    Math.max(0, Math.round(0.5 * s) - 1),
    1,
  );
  return t;
}

export function exampleMasks(size: number): Masks {
  const g = { width: size, height: size };
  const s = size / 64;
  const target = exampleTarget(size);
  const shifted = shiftPrediction(perfectLogits(target, 2, 0.95), g, 2, Math.round(2 * s), Math.round(1 * s));
  const logits = blurPrediction(shifted, g, 2, 1.2 * s);
  return { width: size, height: size, numClasses: 2, target, logits };
}

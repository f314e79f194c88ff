/**
 * The sources of the preset files in public/presets/ (written by app/io/make-presets.ts; a unit test checks that the
 * committed files match). Shapes are drawn with the editor's own label operations so presets look hand-made.
 */
import { rleEncode } from './encoding';
import { exampleTarget } from './example';
import type { LabelGrid, Point } from './labels';
import { paintDisc, paintRect, paintStroke } from './labels';
import { mulberry32 } from './prediction';
import type { RecipeStep } from './recipe';

export interface PresetSource {
  id: string;
  name: string;
  description: string;
  size: number;
  numClasses: number;
  classNames?: string[];
  target: Int32Array<ArrayBufferLike>;
  recipe: RecipeStep[];
}

function ellipse(t: Int32Array, g: LabelGrid, cx: number, cy: number, rx: number, ry: number, cls: number): Int32Array {
  const out = t.slice();
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      const u = (x - cx) / rx;
      const v = (y - cy) / ry;
      if (u * u + v * v <= 1) out[y * g.width + x] = cls;
    }
  }
  return out;
}

function branch(t: Int32Array, g: LabelGrid, pts: Point[], r: number): Int32Array {
  return paintStroke(t, g, pts, r, 1);
}

export function presetSources(): PresetSource[] {
  const S = 128;
  const g = { width: S, height: S };
  const blank = (): Int32Array => new Int32Array(S * S);

  // Small lesion: 61 foreground pixels out of 16384 (0.4 %).
  const lesion = paintDisc(blank(), g, 82, 46, 4, 1);

  // Thin vessel-like tree: 1–3 px wide branches.
  let vessels = blank();
  vessels = branch(
    vessels,
    g,
    [
      { x: 64, y: 124 },
      { x: 62, y: 96 },
      { x: 66, y: 70 },
      { x: 60, y: 40 },
      { x: 64, y: 6 },
    ],
    1,
  );
  vessels = branch(
    vessels,
    g,
    [
      { x: 63, y: 90 },
      { x: 40, y: 76 },
      { x: 22, y: 70 },
      { x: 8, y: 58 },
    ],
    0,
  );
  vessels = branch(
    vessels,
    g,
    [
      { x: 65, y: 72 },
      { x: 90, y: 60 },
      { x: 108, y: 44 },
      { x: 122, y: 40 },
    ],
    0,
  );
  vessels = branch(
    vessels,
    g,
    [
      { x: 61, y: 44 },
      { x: 40, y: 30 },
      { x: 30, y: 12 },
    ],
    0,
  );
  vessels = branch(
    vessels,
    g,
    [
      { x: 90, y: 60 },
      { x: 100, y: 80 },
      { x: 118, y: 96 },
    ],
    0,
  );
  vessels = branch(
    vessels,
    g,
    [
      { x: 40, y: 76 },
      { x: 36, y: 100 },
      { x: 24, y: 118 },
    ],
    0,
  );

  // Large organ: an ellipse filling a third of the image.
  const organ = ellipse(blank(), g, 64, 66, 44, 36, 1);

  // Four classes: liver-, kidney- and spleen-like blobs.
  let multi = blank();
  multi = ellipse(multi, g, 46, 56, 32, 26, 1);
  multi = ellipse(multi, g, 98, 50, 14, 22, 2);
  multi = ellipse(multi, g, 40, 102, 12, 10, 3);
  multi = ellipse(multi, g, 92, 100, 12, 10, 3);

  // Noisy / partial labels: an organ with a missing wedge (annotator stopped) and speckle noise.
  let noisy = ellipse(blank(), g, 64, 64, 40, 34, 1);
  noisy = paintRect(noisy, g, { x: 64, y: 64 }, { x: 110, y: 104 }, 0);
  const rnd = mulberry32(7);
  for (let k = 0; k < 180; k++) {
    const i = Math.floor(rnd() * S * S);
    noisy[i] = noisy[i] === 1 ? 0 : 1;
  }
  const clean = ellipse(blank(), g, 64, 64, 40, 34, 1);

  // No overlap: GT on the left, prediction the same disc moved far to the right.
  const apart = paintDisc(blank(), g, 32, 64, 16, 1);

  return [
    {
      id: 'example',
      name: 'Built-in example',
      description: 'Disc, rectangle and thin line; the prediction is the ground truth shifted and blurred.',
      size: S,
      numClasses: 2,
      target: exampleTarget(S),
      recipe: [
        { op: 'perfect', confidence: 0.95 },
        { op: 'shift', dx: 4, dy: 2 },
        { op: 'blur', sigma: 2.4 },
      ],
    },
    {
      id: 'small-lesion',
      name: 'Small lesion (heavy imbalance)',
      description: 'A 4-px-radius lesion in a 128×128 image (0.4 % foreground), predicted slightly off and soft.',
      size: S,
      numClasses: 2,
      classNames: ['background', 'lesion'],
      target: lesion,
      recipe: [
        { op: 'perfect', confidence: 0.9 },
        { op: 'shift', dx: 2, dy: 1 },
        { op: 'blur', sigma: 1.5 },
      ],
    },
    {
      id: 'thin-vessels',
      name: 'Thin vessel-like lines',
      description: 'A branching tree of 1–3 px lines; the prediction is blurred and shifted by one pixel.',
      size: S,
      numClasses: 2,
      classNames: ['background', 'vessel'],
      target: vessels,
      recipe: [
        { op: 'perfect', confidence: 0.95 },
        { op: 'shift', dx: 1, dy: 0 },
        { op: 'blur', sigma: 1.2 },
      ],
    },
    {
      id: 'organ-boundary-shift',
      name: 'Boundary shift of a large organ',
      description: 'A large organ predicted with the right shape but its boundary shifted by (6, 3) px.',
      size: S,
      numClasses: 2,
      classNames: ['background', 'organ'],
      target: organ,
      recipe: [
        { op: 'perfect', confidence: 0.95 },
        { op: 'shift', dx: 6, dy: 3 },
        { op: 'blur', sigma: 1 },
      ],
    },
    {
      id: 'multi-organ',
      name: '4-class multi-organ',
      description: 'Three organs of different sizes; the prediction is shifted, blurred and slightly noisy.',
      size: S,
      numClasses: 4,
      classNames: ['background', 'liver', 'kidney', 'spleen'],
      target: multi,
      recipe: [
        { op: 'perfect', confidence: 0.9 },
        { op: 'shift', dx: 3, dy: -2 },
        { op: 'blur', sigma: 1.5 },
        { op: 'noise', sigma: 0.4, seed: 4 },
      ],
    },
    {
      id: 'noisy-partial',
      name: 'Noisy / partial labels',
      description:
        'The annotation misses a quarter of the organ and has speckle noise; the prediction is the clean organ.',
      size: S,
      numClasses: 2,
      classNames: ['background', 'organ'],
      target: noisy,
      recipe: [
        { op: 'fromLabels', labels: { encoding: 'rle', data: rleEncode(clean) }, confidence: 0.9 },
        { op: 'blur', sigma: 1 },
      ],
    },
    {
      id: 'no-overlap',
      name: 'Prediction with no overlap',
      description:
        'The predicted object is 64 px away from the true one: overlap losses saturate, distance losses do not.',
      size: S,
      numClasses: 2,
      classNames: ['background', 'object'],
      target: apart,
      recipe: [
        { op: 'perfect', confidence: 0.95 },
        { op: 'shift', dx: 64, dy: 0 },
      ],
    },
  ];
}

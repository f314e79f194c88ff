import { expect, it } from 'vitest';
import { computeLoss } from '../compute';
import { argmaxDiceIoU } from '../metrics/argmax-overlap';
import { labelMetrics } from '../metrics/label-metrics';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { evaluateNamedLandscape, namedPointLogits } from './named';
import { evaluatePixelCurves } from './pixel-curves';
import { applyTransform, NAMED_TRANSFORMS, type NamedTransform, transformBatch } from './transforms';

const H = 12;
const W = 12;

/** A 4×4 foreground square at rows 4–7, cols 4–7 (GT), and a soft prediction of the same square. */
function example(c = 2) {
  const labels = new Int32Array(H * W);
  for (let y = 4; y < 8; y++) for (let x = 4; x < 8; x++) labels[y * W + x] = 1;
  const probs = new Float32Array(H * W * c);
  for (let i = 0; i < H * W; i++) {
    const fg = labels[i] === 1 ? 0.8 : 0.1;
    probs[i * c] = 1 - fg;
    for (let k = 1; k < c; k++) probs[i * c + k] = fg / (c - 1);
  }
  const p = tf.tensor4d(probs, [1, H, W, c]);
  const t = tf.tensor3d(labels, [1, H, W], 'int32');
  const oneHot = tf.cast(tf.oneHot(t, c), 'float32') as tf.Tensor4D;
  return { p, t, oneHot, labels };
}

const fgAt = (p: tf.Tensor4D, y: number, x: number) => (p.arraySync() as number[][][][])[0]?.[y]?.[x]?.[1] as number;
const fgSum = (p: tf.Tensor4D) =>
  tf.tidy(() => tf.sum(tf.slice(p, [0, 0, 0, 1], [-1, -1, -1, 1])).dataSync()[0] as number);

describeEachBackend('named transforms', () => {
  for (const kind of NAMED_TRANSFORMS) {
    it(`${kind}: identity at 0, rows sum to 1, batched equals one by one, no leaks`, () => {
      const { p, oneHot, t } = example(3);
      const before = tf.memory().numTensors;
      const id = applyTransform(kind, p, 0, oneHot);
      expect(Array.from(id.dataSync())).toEqual(Array.from(p.dataSync()).map((v) => expect.closeTo(v, 6)));
      const ts = kind === 'fn-mass' || kind === 'fp-mass' || kind === 'blur' ? [0, 0.3, 1] : [-1.5, 0, 2];
      const batch = transformBatch(kind, p, ts, oneHot);
      for (const [i, v] of ts.entries()) {
        const one = applyTransform(kind, p, v, oneHot);
        const row = tf.slice(batch, [i, 0, 0, 0], [1, -1, -1, -1]);
        expect(tf.tidy(() => tf.max(tf.abs(tf.sub(row, one))).dataSync()[0])).toBeLessThan(1e-6);
        const sums = tf.tidy(() => tf.sum(one, 3).dataSync());
        for (const s of sums) expect(s).toBeCloseTo(1, 5);
        tf.dispose([one, row]);
      }
      tf.dispose([id, batch]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([p, oneHot, t]);
    });
  }

  it('shift x/y: +1 px moves the square right / down (units: pixels), 0.5 px is halfway', () => {
    const { p, oneHot, t } = example();
    const right = applyTransform('shift-x', p, 1, oneHot);
    expect(fgAt(right, 5, 8)).toBeCloseTo(0.8, 5);
    expect(fgAt(right, 5, 4)).toBeCloseTo(0.1, 5);
    const down = applyTransform('shift-y', p, 2, oneHot);
    expect(fgAt(down, 9, 5)).toBeCloseTo(0.8, 5);
    expect(fgAt(down, 5, 5)).toBeCloseTo(0.1, 5);
    const half = applyTransform('shift-x', p, 0.5, oneHot);
    expect(fgAt(half, 5, 8)).toBeCloseTo(0.45, 5);
    const left = applyTransform('shift-x', p, -1, oneHot);
    expect(fgAt(left, 5, 3)).toBeCloseTo(0.8, 5);
    tf.dispose([p, oneHot, t, right, down, half, left]);
  });

  it('blur keeps the mass and spreads it; dilate grows / erode shrinks the foreground; temperature softens', () => {
    const { p, oneHot, t } = example();
    const b = applyTransform('blur', p, 1.5, oneHot);
    expect(fgSum(b)).toBeCloseTo(fgSum(p), 3);
    expect(fgAt(b, 4, 4)).toBeLessThan(0.8);
    expect(fgAt(b, 3, 4)).toBeGreaterThan(0.1);
    const d = applyTransform('dilate', p, 1, oneHot);
    expect(fgAt(d, 3, 3)).toBeCloseTo(0.8, 5); // one pixel outside the square (Chebyshev)
    const e = applyTransform('dilate', p, -1, oneHot);
    expect(fgAt(e, 4, 4)).toBeCloseTo(0.1, 5);
    expect(fgAt(e, 5, 5)).toBeCloseTo(0.8, 5);
    const soft = applyTransform('temperature', p, 1, oneHot);
    expect(fgAt(soft, 5, 5)).toBeLessThan(0.8);
    expect(fgAt(soft, 5, 5)).toBeGreaterThan(0.5);
    const sharp = applyTransform('temperature', p, -1, oneHot);
    expect(fgAt(sharp, 5, 5)).toBeGreaterThan(0.8);
    // T = 2: p' = √0.8 / (√0.8 + √0.2)
    expect(fgAt(soft, 5, 5)).toBeCloseTo(Math.sqrt(0.8) / (Math.sqrt(0.8) + Math.sqrt(0.2)), 5);
    tf.dispose([p, oneHot, t, b, d, e, soft, sharp]);
  });

  it('FN mass removes the true-class probability on GT foreground only; FP mass adds on GT background only', () => {
    const { p, oneHot, t } = example();
    const fn = applyTransform('fn-mass', p, 0.5, oneHot);
    expect(fgAt(fn, 5, 5)).toBeCloseTo(0.4, 5);
    expect(fgAt(fn, 0, 0)).toBeCloseTo(0.1, 5);
    const fp = applyTransform('fp-mass', p, 0.5, oneHot);
    expect(fgAt(fp, 0, 0)).toBeCloseTo(0.1 + 0.45, 5);
    expect(fgAt(fp, 5, 5)).toBeCloseTo(0.8, 5);
    expect(() => applyTransform('fn-mass', p, 1.5, oneHot)).toThrow(/fn-mass.*0…1.*1\.5/);
    expect(() => applyTransform('blur', p, -1, oneHot)).toThrow(/blur/);
    tf.dispose([p, oneHot, t, fn, fp]);
  });

  it('argmaxDiceIoU: perfect → 1, disjoint → 0, empty everywhere → NaN', () => {
    const { p, oneHot, t } = example();
    const shifted = applyTransform('shift-x', p, 6, oneHot);
    const bgOnly = tf.concat([tf.ones([1, H, W, 1]), tf.zeros([1, H, W, 1])], 3) as tf.Tensor4D;
    const emptyGt = tf.concat([tf.ones([1, H, W, 1]), tf.zeros([1, H, W, 1])], 3) as tf.Tensor4D;
    const m = argmaxDiceIoU(tf.concat([p, shifted]) as tf.Tensor4D, oneHot).arraySync();
    expect(m[0]).toEqual([1, 1]);
    expect(m[1]).toEqual([0, 0]);
    const n = argmaxDiceIoU(bgOnly, emptyGt).arraySync();
    expect(Number.isNaN(n[0]?.[0])).toBe(true);
    tf.dispose([p, oneHot, t, shifted, bgOnly, emptyGt]);
  });

  it('evaluateNamedLandscape: the origin equals computeLoss, 2-D grid shape, batch size does not matter, no leaks', async () => {
    const { p, t, oneHot } = example();
    const logits = tf.log(p) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const axes = [
      { transform: 'shift-x' as NamedTransform, from: -2, to: 2, points: 5 },
      { transform: 'blur' as NamedTransform, from: 0, to: 1, points: 3 },
    ];
    const losses = [{ id: 'cross-entropy' as const }, { id: 'dice' as const }];
    const r1 = await evaluateNamedLandscape(losses, logits, t, axes, { batchSize: 4 });
    const r2 = await evaluateNamedLandscape(losses, logits, t, axes, { batchSize: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect([r1.rows, r1.cols, r1.dims]).toEqual([3, 5, 2]);
    const ce = tf.tidy(() => computeLoss('cross-entropy', logits, t).dataSync()[0] as number);
    expect(r1.losses[0]?.values?.[2]).toBeCloseTo(ce, 4); // (a = 0, b = 0) is column 2 of row 0
    expect(Array.from(r1.losses[1]?.values ?? [])).toEqual(Array.from(r2.losses[1]?.values ?? []));
    expect(r1.dice[2]).toBe(1);
    // The clicked point's logits give the same loss as the landscape.
    const z = namedPointLogits(logits, t, axes, [1, 0.5]);
    const v = tf.tidy(() => computeLoss('dice', z, t).dataSync()[0] as number);
    expect(r1.losses[1]?.values?.[1 * 5 + 3]).toBeCloseTo(v, 5);
    tf.dispose([p, t, oneHot, logits, z]);
  });

  it('evaluatePixelCurves: CE contribution is −log p, focal is −α(1−p)^γ log p, gradients match', async () => {
    const { p, t, oneHot } = example();
    const logits = tf.log(p) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const r = await evaluatePixelCurves(
      [{ id: 'cross-entropy' }, { id: 'focal', params: { gamma: 2, alpha: 1 } }],
      logits,
      t,
      5,
      5,
      { ps: [0.1, 0.5, 0.9] },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(r.trueClass).toBe(1);
    expect(r.current).toBeCloseTo(0.8, 5);
    const ref = 1 - 1e-4;
    for (const [i, q] of [0.1, 0.5, 0.9].entries()) {
      expect(r.curves[0]?.contribution?.[i]).toBeCloseTo(-Math.log(q) + Math.log(ref), 3);
      expect(r.curves[0]?.gradient?.[i]).toBeCloseTo(-1 / q, 2);
    }
    expect(r.curves[1]?.error ?? null).toBeNull();
    tf.dispose([p, t, oneHot, logits]);
  });
});

describeEachBackend('named transforms on a batch', () => {
  it('a stack of N maps is transformed row by row alike (what a 2-D grid row uses)', () => {
    const { p, oneHot, t } = example(3);
    const other = applyTransform('shift-y', p, 1, oneHot);
    const stack = tf.concat([p, other]) as tf.Tensor4D;
    for (const kind of NAMED_TRANSFORMS) {
      const v = kind === 'fn-mass' || kind === 'fp-mass' || kind === 'blur' ? 0.6 : -1.5;
      const both = applyTransform(kind, stack, v, oneHot);
      for (const [i, single] of [p, other].entries()) {
        const one = applyTransform(kind, single, v, oneHot);
        const diff = tf.tidy(
          () => tf.max(tf.abs(tf.sub(tf.slice(both, [i, 0, 0, 0], [1, -1, -1, -1]), one))).dataSync()[0],
        );
        expect(diff, kind).toBeLessThan(1e-6);
        one.dispose();
      }
      both.dispose();
    }
    tf.dispose([p, oneHot, t, other, stack]);
  });

  it('evaluateNamedLandscape stops with LandscapeCancelledError when aborted, leaking nothing', async () => {
    const { p, t, oneHot } = example();
    const logits = tf.log(p) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = evaluateNamedLandscape(
      [{ id: 'dice' }],
      logits,
      t,
      [
        { transform: 'shift-x', from: -2, to: 2, points: 5 },
        { transform: 'temperature', from: -1, to: 1, points: 5 },
      ],
      {
        yieldBetween: async () => {},
        onProgress: (done) => done >= 5 && controller.abort(),
        signal: controller.signal,
      },
    );
    await expect(run).rejects.toThrow(/cancelled/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([p, t, oneHot, logits]);
  });
});

describeEachBackend('named line: surface metrics from src/metrics', () => {
  it('HD95, HD and ASSD per point equal labelMetrics of the argmax; undefined where the prediction is empty', async () => {
    const { p, t, oneHot, labels } = example();
    const logits = tf.log(p) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const axis = { transform: 'shift-x' as NamedTransform, from: -3, to: 3, points: 4 };
    const r = await evaluateNamedLandscape([{ id: 'dice' }], logits, t, [axis]);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.hd95?.length).toBe(4);
    for (const [i, a] of Array.from(r.axes[0]?.coords ?? []).entries()) {
      const probs = tf.tidy(() => applyTransform('shift-x', p, a, oneHot));
      const pred = Int32Array.from(tf.tidy(() => tf.argMax(probs, 3).dataSync()));
      probs.dispose();
      const m = labelMetrics(pred, labels, [1, H, W], 2).mean;
      for (const k of ['hd95', 'hd', 'assd'] as const) {
        const want = m[k].kind === 'value' ? m[k].value : Number.NaN;
        expect(r[k]?.[i], `${k} at ${a}`).toBeCloseTo(want, 4);
      }
    }
    // Shifted by 3 px the square's surface is 3 px away at most: HD = 3.
    expect(r.hd?.[0]).toBeCloseTo(3, 5);
    // An empty prediction: the surface metrics are undefined (NaN), Dice 0.
    const empty = tf.tidy(() =>
      tf.log(tf.concat([tf.ones([1, H, W, 1]), tf.fill([1, H, W, 1], 1e-4)], 3)),
    ) as tf.Tensor4D;
    const e = await evaluateNamedLandscape([], empty, t, [{ ...axis, transform: 'blur', from: 0, to: 1, points: 2 }]);
    expect(Number.isNaN(e.hd95?.[0])).toBe(true);
    expect(e.dice[0]).toBe(0);
    // A grid leaves them out by default.
    const g = await evaluateNamedLandscape([], logits, t, [axis, { ...axis, transform: 'blur', from: 0, to: 1 }]);
    expect(g.hd95).toBeNull();
    tf.dispose([p, t, oneHot, logits, empty]);
  });
});

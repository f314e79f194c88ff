// The four standard property tests of a loss (issue 3), registered on cpu and wasm:
// the value at a confident correct prediction is the documented minimum (and no noisy prediction is lower),
// 50 steps of gradient descent lower it, central finite differences agree with tf.grad, and no tensor leaks.
// Losses with special needs keep the same four tests and adjust their inputs through the options (a setup step,
// the logits of the minimum, a gradient-check case of its own), never by leaving one out.
import { beforeAll, expect, it } from 'vitest';
import { computeLoss } from '../compute';
import { tf } from '../tf';
import type { Params } from '../types';
import { describeEachBackend } from './backends';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from './properties';

export interface LossPropertyOptions {
  shape: [number, number, number, number];
  labels: Int32Array;
  params?: Params;
  /**
   * The documented minimum and how close the confident prediction must come to it. null: the loss has no closed
   * form at this size (e.g. RMI's log-determinants), so the test checks only that noise raises the value.
   */
  minimum?: number | null;
  minimumTolerance?: number;
  /** Logit margin of the confident prediction (default 12). */
  margin?: number;
  /**
   * Logits of the minimum when it is not at confidentLogits(labels) (e.g. the boundary-aware loss predicts
   * distance bins, not the labels).
   */
  minimumLogits?: Float32Array;
  /** Scale of the N(0, s²) noise added to the minimum's logits (default 2; larger where the minimum needs a wide margin). */
  noiseScale?: number;
  /** Gradient-descent step size and the required decrease after 50 steps. */
  lr?: number;
  minDecrease?: number;
  /** Largest relative finite-difference error (default 2e-2) and the logit scale of the FD point. */
  fdTolerance?: number;
  fdScale?: number;
  /**
   * The gradient check on a case of its own: a tiny image where a large constant would drown the change in
   * float32, or parameters under which the gradient is the derivative (e.g. ABL without detaching). Unset
   * fields fall back to the suite's shape, labels and params.
   */
  fd?: {
    shape?: [number, number, number, number];
    labels?: Int32Array;
    params?: Params;
    logits?: Float32Array;
    probes?: number;
    step?: number;
  };
  /** Gradient descent from these logits (default: seeded N(0, 2) noise) and/or with other parameters. */
  descent?: { logits?: Float32Array; params?: Params };
  /** Per-backend set-up run before the tests, after the backend is selected (e.g. create network weights). */
  setup?: () => void | Promise<void>;
  /** Per-test timeout in ms for losses that are slow by nature (default: the config's). */
  timeout?: number;
  /** Label for the describe block (default: id and params). */
  title?: string;
}

/** Labels of a small [n, h, w] image set: a rectangle of class 1, and class 2.. as vertical bands. */
export function bandLabels(n: number, h: number, w: number, c: number): Int32Array {
  const out = new Int32Array(n * h * w);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        let v = 0;
        if (i >= 1 && i < h - 1 && j >= 1 && j < Math.ceil(w / 2)) v = 1;
        else if (c > 2 && j >= Math.ceil(w / 2) + (b % 2)) v = 2 + ((i + b) % (c - 2));
        out[(b * h + i) * w + j] = v;
      }
  return out;
}

export function standardLossProperties(id: string, o: LossPropertyOptions): void {
  const { shape, labels } = o;
  const params = o.params ?? {};
  const size = shape[0] * shape[1] * shape[2] * shape[3];
  const title = o.title ?? `${id} properties${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`;
  const fd = o.fd ?? {};
  const fdShape = fd.shape ?? shape;
  describeEachBackend(title, () => {
    if (o.setup) beforeAll(o.setup, o.timeout);
    it('reaches its documented minimum at a confident correct prediction, and noise raises it', {
      timeout: o.timeout,
    }, () => {
      const conf = o.minimumLogits ?? confidentLogits(labels, shape, o.margin ?? 12);
      const v = lossValue(id, conf, labels, shape, params);
      if (o.minimum !== null) expect(Math.abs(v - (o.minimum ?? 0))).toBeLessThan(o.minimumTolerance ?? 1e-4);
      for (let s = 0; s < 3; s++) {
        const noisy = Float32Array.from(conf);
        const z = normal(rng(100 + s), size, o.noiseScale ?? 2);
        for (let i = 0; i < size; i++) noisy[i] = (noisy[i] as number) + (z[i] as number);
        expect(lossValue(id, noisy, labels, shape, params)).toBeGreaterThan(v);
      }
    });
    it('gradient agrees with central finite differences', { timeout: o.timeout }, () => {
      const x = fd.logits ?? normal(rng(1), fdShape[0] * fdShape[1] * fdShape[2] * fdShape[3], o.fdScale ?? 1.5);
      const err = finiteDifferenceError(
        id,
        x,
        fd.labels ?? labels,
        fdShape,
        fd.params ?? params,
        fd.probes ?? 16,
        fd.step,
      );
      expect(err).toBeLessThan(o.fdTolerance ?? 2e-2);
    });
    it('50 steps of gradient descent lower it', { timeout: o.timeout }, () => {
      const start = o.descent?.logits ?? normal(rng(2), size, 2);
      const { before, after } = descend(id, start, labels, shape, o.descent?.params ?? params, 50, o.lr ?? 1);
      expect(after).toBeLessThan(before - (o.minDecrease ?? 0.05));
    });
    it('leaks no tensors', { timeout: o.timeout }, () => {
      const x = tf.tensor4d(normal(rng(3), size), shape);
      const t = tf.tensor3d(labels, shape.slice(0, 3) as [number, number, number], 'int32');
      const before = tf.memory().numTensors;
      computeLoss(id, x, t, params).dispose();
      tf.tidy(() => {
        tf.grad((z: tf.Tensor) => computeLoss(id, z as tf.Tensor4D, t, params))(x);
      });
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, t]);
    });
  });
}

/**
 * Two host evaluations of one loss agree (e.g. a loop specialised for two classes against the general one):
 * both non-trivial, values within 1e-12 relative, gradients within 1e-6 of the largest entry.
 */
export function expectSameValueAndGrad(
  fast: { value: number; grad: ArrayLike<number> },
  general: { value: number; grad: ArrayLike<number> },
): void {
  expect(fast.value).toBeGreaterThan(0);
  expect(Math.abs(fast.value - general.value)).toBeLessThan(1e-12 * general.value);
  const gmax = Math.max(...Array.from(general.grad, Math.abs));
  expect(gmax).toBeGreaterThan(0);
  Array.from(general.grad).forEach((v, k) => {
    expect(Math.abs((fast.grad[k] as number) - v)).toBeLessThanOrEqual(1e-6 * gmax);
  });
}

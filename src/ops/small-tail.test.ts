import { afterEach, expect, it } from 'vitest';
import { lossAndGrad } from '../compute';
import { getLoss } from '../registry';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import type { Params } from '../types';
import { setTailPlace, smallTail, type Tail, tailsOnHost } from './small-tail';

afterEach(() => {
  setTailPlace('auto');
});

const tail: Tail = (m, s, [w]) => {
  const [a, b] = m.unstack(s);
  return m.mean(m.div(m.add(m.mul(2, a as typeof s), 1e-5), m.add(m.add(b as typeof s, w as typeof s), 1e-5)));
};

/** Value and ∂/∂sums of `tail` through smallTail with the tails at `place`. */
function run(place: 'host' | 'tensor', sums: number[], weights: number[]) {
  setTailPlace(place);
  const w = tf.tensor2d(weights, [1, 3]);
  const { value, grads } = tf.valueAndGrads((s: tf.Tensor) => smallTail(tf.mul(s, 1), [w], tail))([
    tf.tensor3d(sums, [2, 1, 3]),
  ]);
  const out = { value: value.dataSync()[0] as number, grad: Array.from((grads[0] as tf.Tensor).dataSync()) };
  tf.dispose([value, ...grads, w]);
  return out;
}

describeEachBackend('smallTail', (backend) => {
  it('runs on the host where reading is a copy of host memory, and can be forced either way', () => {
    expect(tailsOnHost()).toBe(true); // cpu and wasm
    expect(setTailPlace('tensor')).toBe('auto');
    expect(tailsOnHost()).toBe(false);
    expect(setTailPlace('host')).toBe('tensor');
    expect(tailsOnHost()).toBe(true);
    expect(backend === 'cpu' || backend === 'wasm').toBe(true);
  });

  it('gives the tape’s value and gradient, with dy carried to the sums', () => {
    const sums = [0.2, 3.1, 7.5, 1.4, 5.2, 8.8];
    const weights = [1, 4, 0];
    const host = run('host', sums, weights);
    const tape = run('tensor', sums, weights);
    expect(host.value).toBeCloseTo(tape.value, 6);
    host.grad.forEach((g, i) => {
      expect(g).toBeCloseTo(tape.grad[i] as number, 6);
    });
    // the value scaled by 3: dy = 3 reaches the sums
    setTailPlace('host');
    const g3 = tf.grad((s: tf.Tensor) => tf.mul(smallTail(s, [tf.tensor2d(weights, [1, 3])], tail), 3))(
      tf.tensor3d(sums, [2, 1, 3]),
    );
    Array.from(g3.dataSync()).forEach((g, i) => {
      expect(g).toBeCloseTo(3 * (host.grad[i] as number), 6);
    });
    g3.dispose();
  });

  it('replaces the tail’s kernels by a few on the host', async () => {
    const count = async (place: 'host' | 'tensor') => {
      setTailPlace(place);
      const s = tf.tensor3d([0.2, 3.1, 7.5, 1.4, 5.2, 8.8], [2, 1, 3]);
      const w = tf.tensor2d([1, 4, 0], [1, 3]);
      const info = await tf.profile(() => tf.grad((x: tf.Tensor) => smallTail(x, [w], tail))(s));
      tf.dispose([s, w]);
      return info.kernels.length;
    };
    const host = await count('host');
    const tensor = await count('tensor');
    expect(host).toBeLessThanOrEqual(8);
    expect(tensor).toBeGreaterThan(2 * host);
  });

  it('gives NaN for NaN sums, and leaks no tensor', () => {
    setTailPlace('host');
    const w = tf.tensor2d([1, 1, 1], [1, 3]);
    const v = tf.tidy(() => smallTail(tf.tensor3d([Number.NaN, 1, 1, 1, 1, 1], [2, 1, 3]), [w], tail).dataSync()[0]);
    expect(v).toBeNaN();
    w.dispose();
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grad((x: tf.Tensor) => smallTail(x, [], (m, s) => m.sum(s)))(tf.ones([2, 2]));
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * The losses whose small arithmetic runs on the host on cpu and wasm (smallTail, the sums' backward, the
 * combinations' affine maps), and parameter sets that take each branch.
 */
const CASES: [string, Params][] = [
  ['dice', {}],
  ['dice', { squaredPred: true, batch: true, includeBackground: false }],
  ['iou', {}],
  ['iou', { squaredPred: true, batch: true }],
  ['tversky', { alpha: 0.3, beta: 0.7 }],
  ['tversky', { alphaOn: 'FN', batch: true, includeBackground: false }],
  ['focal-tversky', {}],
  ['focal-tversky', { reduction: 'classMean', gammaConvention: 'inverse', includeBackground: true }],
  ['focal-tversky', { reduction: 'global' }],
  ['log-cosh-dice', {}],
  ['log-cosh-dice', { includeBackground: true }],
  ['sensitivity-specificity', {}],
  ['sensitivity-specificity', { batch: true, r: 0.3 }],
  ['generalised-wasserstein-dice', {}],
  ['generalised-wasserstein-dice', { weightingMode: 'GDL' }],
  ['robust-t-loss', {}],
  ['boundary-dou', {}],
  ['exp-log', {}],
  ['exp-log', { form: 'segloss' }],
  ['unified-focal', {}],
  ['unified-focal', { form: 'symmetric', weightOn: 'focal' }],
  ['combo', {}],
  ['combo', { includeBackground: false, asgsaeidVerbatim: true }],
];

function inputs(n: number, size: number, c: number) {
  const logits = new Float32Array(n * size * size * c);
  const labels = new Int32Array(n * size * size);
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < labels.length; i++) {
    const x = (i % size) / size;
    labels[i] = Math.min(c - 1, Math.floor(((x + rand() * 0.3) * c) % c));
  }
  for (let i = 0; i < logits.length; i++) logits[i] = 4 * (rand() - 0.5);
  return { logits: tf.tensor4d(logits, [n, size, size, c]), target: tf.tensor3d(labels, [n, size, size], 'int32') };
}

describeEachBackend('region losses: tails on the host and on the tape agree', () => {
  for (const [id, params] of CASES) {
    for (const c of getLoss(id).binaryOnly ? [2] : [2, 3]) {
      it(`${id} ${JSON.stringify(params)} C = ${c}`, () => {
        const { logits, target } = inputs(2, 8, c);
        const out = (place: 'host' | 'tensor') => {
          setTailPlace(place);
          const r = lossAndGrad(id, logits, target, params);
          const v = { value: r.value.dataSync()[0] as number, grad: r.grad.dataSync() as Float32Array };
          tf.dispose([r.value, r.grad]);
          return v;
        };
        const host = out('host');
        const tape = out('tensor');
        expect(Number.isFinite(host.value)).toBe(true);
        expect(Math.abs(host.value - tape.value)).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(tape.value)));
        const scale = tape.grad.reduce((a, g) => Math.max(a, Math.abs(g)), 0);
        expect(scale).toBeGreaterThan(0);
        host.grad.forEach((g, i) => {
          expect(Math.abs(g - (tape.grad[i] as number))).toBeLessThanOrEqual(2e-5 * scale);
        });
        tf.dispose([logits, target]);
      });
    }
  }
});

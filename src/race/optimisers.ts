// The race's optimisers as explicit tensor update rules (no tf.train): the same rule for free logits and network
// weights, state the caller owns, and rules that the unit tests check by hand.
//   SGD:       p ← p − η g
//   momentum:  v ← μ v + g;  p ← p − η v                         (heavy ball, as torch.optim.SGD(momentum=μ))
//   Adam:      m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − η m̂ / (√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
import { tf } from '../tf';
import { ADAM, MOMENTUM, type RaceOptimiser } from './settings';

export interface OptimiserState {
  /** Number of updates made so far. */
  t: number;
  /** First moment / velocity per parameter (momentum, Adam). */
  m: tf.Tensor[] | null;
  /** Second moment per parameter (Adam). */
  v: tf.Tensor[] | null;
}

export function initOptimiser(kind: RaceOptimiser, params: readonly tf.Tensor[]): OptimiserState {
  const zeros = () => params.map((p) => tf.keep(tf.zerosLike(p)));
  return { t: 0, m: kind === 'sgd' ? null : zeros(), v: kind === 'adam' ? zeros() : null };
}

/**
 * One update. Returns the new parameters and state (kept tensors); the old parameters and state are disposed
 * (gradients are not: the caller owns them).
 */
export function applyUpdate(
  kind: RaceOptimiser,
  params: tf.Tensor[],
  grads: readonly tf.Tensor[],
  state: OptimiserState,
  rate: number,
): { params: tf.Tensor[]; state: OptimiserState } {
  const t = state.t + 1;
  const out = tf.tidy(() => {
    const np: tf.Tensor[] = [];
    const nm: tf.Tensor[] = [];
    const nv: tf.Tensor[] = [];
    params.forEach((p, i) => {
      const g = grads[i] as tf.Tensor;
      if (kind === 'sgd') {
        np.push(tf.sub(p, tf.mul(g, rate)));
      } else if (kind === 'momentum') {
        const v = tf.add(tf.mul(state.m?.[i] as tf.Tensor, MOMENTUM), g);
        nm.push(v);
        np.push(tf.sub(p, tf.mul(v, rate)));
      } else {
        const m = tf.add(tf.mul(state.m?.[i] as tf.Tensor, ADAM.beta1), tf.mul(g, 1 - ADAM.beta1));
        const v = tf.add(tf.mul(state.v?.[i] as tf.Tensor, ADAM.beta2), tf.mul(tf.square(g), 1 - ADAM.beta2));
        const mHat = tf.div(m, 1 - ADAM.beta1 ** t);
        const vHat = tf.div(v, 1 - ADAM.beta2 ** t);
        nm.push(m);
        nv.push(v);
        np.push(tf.sub(p, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), ADAM.epsilon)), rate)));
      }
    });
    return { np, nm, nv };
  });
  tf.dispose(params);
  if (state.m) tf.dispose(state.m);
  if (state.v) tf.dispose(state.v);
  return {
    params: out.np,
    state: { t, m: kind === 'sgd' ? null : out.nm, v: kind === 'adam' ? out.nv : null },
  };
}

/** g / (RMS(g over all tensors) + 1e-12): the "shared rate, normalised step" gradient (see RaceLearningRate). */
export function normaliseGradients(grads: readonly tf.Tensor[]): tf.Tensor[] {
  return tf.tidy(() => {
    const n = grads.reduce((s, g) => s + g.size, 0);
    const sumSq = tf.addN(grads.map((g) => tf.sum(tf.square(g))));
    const rms = tf.add(tf.sqrt(tf.div(sumSq, n)), 1e-12);
    return grads.map((g) => tf.div(g, rms));
  });
}

export function disposeOptimiser(state: OptimiserState): void {
  if (state.m) tf.dispose(state.m);
  if (state.v) tf.dispose(state.v);
  state.m = null;
  state.v = null;
}

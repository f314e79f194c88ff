// What the Node bench scripts (profile.ts, kernels-dump.ts, engine-all.ts) share: the bench input as tensors on
// the chosen Node backend, with InverseForm's network loaded and a ground-truth context, and one value + gradient
// of a loss read back and disposed (the same call `npm run bench` times).
import { lossAndGrad } from '../../src/compute';
import { GroundTruthContext } from '../../src/engine/gt-context';
import { benchInputs } from '../../src/golden/bench';
import { loadInverseFormNetFromFile } from '../../src/inverseform/load-node';
import { tf } from '../../src/tf';
import { selectNodeBackend } from '../lib/node-backend';

export interface NodeBenchInputs {
  /** The logits and labels on the host. */
  hostLogits: Float32Array;
  labels: Int32Array;
  logits: tf.Tensor4D;
  target: tf.Tensor3D;
  /** A fresh ground-truth context for these labels (the caller disposes it). */
  context(): GroundTruthContext;
}

export async function nodeBenchInputs(
  backend: 'cpu' | 'wasm',
  size: number,
  classes: number,
): Promise<NodeBenchInputs> {
  await selectNodeBackend(backend);
  await loadInverseFormNetFromFile().catch((e: Error) => console.error(`InverseForm network not loaded: ${e.message}`));
  const { logits: l, target: t } = benchInputs(size, classes);
  return {
    hostLogits: l,
    labels: t,
    logits: tf.tensor4d(l, [1, size, size, classes]),
    target: tf.tensor3d(t, [1, size, size], 'int32'),
    context: () => GroundTruthContext.fromLabels(t, [1, size, size], classes),
  };
}

/** One value + gradient of `id`, both read back, then disposed. */
export async function lossAndGradSettled(id: string, inputs: NodeBenchInputs, ctx: GroundTruthContext): Promise<void> {
  const { value, grad } = lossAndGrad(id, inputs.logits, inputs.target, {}, ctx);
  await value.data();
  await grad.data();
  value.dispose();
  grad.dispose();
}

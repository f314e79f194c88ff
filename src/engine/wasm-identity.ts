/**
 * Identity on tfjs-backend-wasm that shares its input's data (a reference count) instead of copying it.
 *
 * Why: tf.clone, and the copy the gradient tape keeps of every tensor a custom gradient saves, run the Identity
 * kernel. The cpu and webgl backends share the data there (as wasm's own Reshape does); wasm copies it. Under
 * the engine that costs twice: a full-size copy per saved tensor (≈ 90 per update at 256²), and a saved copy of
 * the logits has a new data id, so the per-update softmax memo (src/ops/prediction-memo.ts, keyed by data id)
 * misses in every custom gradient's backward pass, which then recomputes the softmax.
 *
 * Sharing is safe because TF.js tensors are immutable: no wasm kernel writes into an input, and the backend
 * frees the memory only when the last reference is disposed (the reference count Reshape already relies on).
 * The engine (evaluate.ts), computeLoss and lossAndGrad (compute.ts) install it when they run on wasm; it changes
 * no value, only who holds the bytes. For lossAndGrad alone it saved ≈ 7 ms over the 23 losses timed against
 * PyTorch at 256², C = 2 (Node wasm, interleaved: 90–91 against 93–101 ms).
 */
import { tf } from '../tf';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

const sharedIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  (backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Replaces wasm's copying Identity by the sharing one, once the wasm backend is the active one. */
export function shareIdentityOnWasm(): void {
  if (tf.getBackend() !== 'wasm') return;
  const current = tf.getKernel('Identity', 'wasm');
  if (current?.kernelFunc === sharedIdentity) return;
  if (current) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity });
}

// Registers and selects a TF.js backend in Node: 'cpu' (pure JS, the reference) or 'wasm' (SIMD, loads its
// .wasm from node_modules). Fails loudly if TF.js did not really switch (it falls back silently otherwise).
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../src/tf';

export type NodeBackend = 'cpu' | 'wasm';

export async function selectNodeBackend(name: NodeBackend): Promise<void> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`could not initialise the TF.js '${name}' backend (active: ${tf.getBackend()})`);
  }
}

/**
 * Old name of selectNodeBackend. Biome's React rules take `use…` for a hook and flag calls outside
 * components (lint/correctness/useHookAtTopLevel), so new code should call selectNodeBackend.
 */
export const useNodeBackend = selectNodeBackend;

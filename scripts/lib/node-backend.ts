// Registers and selects a TF.js backend in Node: 'cpu' (pure JS, the reference) or 'wasm' (SIMD, loads its
// .wasm from node_modules). Fails loudly if TF.js did not really switch (it falls back silently otherwise).
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../src/tf';

export type NodeBackend = 'cpu' | 'wasm';

// tfjs-backend-cpu greets Node users once with a banner recommending tfjs-node (which we deliberately do not
// use: it is a native build and not one of the three backends we check). Keep script output readable.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('looks like you are running TensorFlow.js in Node.js')) return;
  warn(...args);
};

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

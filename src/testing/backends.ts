// Test helper: run a describe block once per Node backend (cpu = reference, wasm = fast path).
import { afterAll, beforeAll, describe } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackendName = (typeof NODE_BACKENDS)[number];

export async function setNodeBackend(name: NodeBackendName): Promise<void> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name)
    throw new Error(`backend '${name}' did not initialise (active: ${tf.getBackend()})`);
}

/** describe(`${title} [backend]`) for cpu and wasm; the backend is set before the block's tests run. */
export function describeEachBackend(title: string, body: (backend: NodeBackendName) => void): void {
  for (const backend of NODE_BACKENDS) {
    describe(`${title} [${backend}]`, () => {
      let previous = '';
      beforeAll(async () => {
        previous = tf.getBackend() ?? '';
        await setNodeBackend(backend);
      });
      afterAll(async () => {
        if (previous && previous !== backend) await tf.setBackend(previous);
      });
      body(backend);
    });
  }
}

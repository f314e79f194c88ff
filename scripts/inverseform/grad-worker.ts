// Gradient worker of scripts/train-inverseform.ts (--threads N): receives the current weights and a chunk
// of the batch, returns the chunk's loss and gradients. Data-parallel training: the main thread draws every
// batch from the one seeded generator and sums the chunks in a fixed order, so the result is the same as
// one thread computing the whole batch (up to float32 summation order).
import { parentPort, workerData } from 'node:worker_threads';
import { initWeights } from '../../src/inverseform/network';
import { tf } from '../../src/tf';
import { type NodeBackend, selectNodeBackend } from '../lib/node-backend';
import { chunkGradients, type ObjectiveOptions } from './objective';

interface Job {
  weights: Record<string, Float32Array>;
  x: Float32Array;
  y: Float32Array;
  size: number;
}

const { backend, options } = workerData as { backend: NodeBackend; options: ObjectiveOptions };
await selectNodeBackend(backend);
const weights = initWeights(0); // shapes only: every job brings the current values
parentPort?.on('message', (job: Job) => {
  for (const [name, v] of Object.entries(job.weights)) {
    const w = weights[name] as tf.Variable;
    tf.tidy(() => w.assign(tf.tensor(v, w.shape)));
  }
  const r = chunkGradients(weights, job.x, job.y, job.size, options);
  parentPort?.postMessage(r);
});
parentPort?.postMessage('ready');

// Trains SegLoss Explorer's own inverse-transformation network for the InverseForm loss (not the
// authors' network: theirs is not published). Seeded and reproducible for a given backend, step count and
// thread count (threads change the float32 summation order of the gradients, nothing else).
//
//   npm run train:inverseform -- [--backend cpu|wasm] [--steps N] [--batch B] [--seed S] [--threads N]
//                                [--theta-loss l1|l2] [--field-weight λ] [--scale-weight W] [--eval-every N]
//                                [--max-seconds T] [--lr L] [--warm-frac F] [--init model.json] [--out DIR] [--bench]
//
// Data: src/inverseform/synthetic.ts (seeded random shapes and known shift/scale transformations).
// Network: src/inverseform/network.ts (displacement field + least-squares fit). Objective:
// scripts/inverseform/objective.ts (|θ̂ − θ| plus the field's squared error at boundary cells), Adam.
// The defaults are the committed run (2 threads: the batch is split between this thread and a worker,
// scripts/inverseform/grad-worker.ts, ~1.6× faster on 2 cores). Output: public/models/inverseform/
// model.json (TF.js weights manifest), group1-shard1of1.bin and card.json (architecture, data, seed,
// training time, held-out mean absolute error per parameter).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HELDOUT_SEED, HELDOUT_SIZE, heldOutError } from '../src/inverseform/evaluate';
import {
  deserializeWeights,
  IF_ARCHITECTURE,
  IF_TILE,
  initWeights,
  serializeWeights,
  type WeightsManifestGroup,
} from '../src/inverseform/network';
import { type Batch, makeBatch, mulberry32 } from '../src/inverseform/synthetic';
import { tf } from '../src/tf';
import { type ChunkGradients, chunkGradients, type ObjectiveOptions } from './inverseform/objective';
import { type NodeBackend, selectNodeBackend } from './lib/node-backend';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const backend = arg('backend', 'wasm') as NodeBackend;
const steps = Number(arg('steps', '3800'));
const maxSeconds = Number(arg('max-seconds', '1800'));
const batchSize = Number(arg('batch', '32'));
const seed = Number(arg('seed', '20261127'));
const bench = process.argv.includes('--bench');
const lrMax = Number(arg('lr', '0.002'));
// --init <model.json>: continue from saved weights (second phase of a schedule); --warm-frac: share of the steps at lr max
const initPath = arg('init', '');
// --stop-after N: end after N steps of a longer schedule (what --max-seconds did in the committed run's first phase)
const stopAfter = Number(arg('stop-after', 'Infinity'));
const warmFrac = Number(arg('warm-frac', '0.4'));
// --scale-weight W: residuals of the two scale outputs are multiplied by W in the θ term (default 1). It was the
// first network's (dense head) attempt at learning scale: W = 3…6 raised the correlation with the true scale but
// not below the "identity" error; the displacement field is what made scale learnable (see network.ts).
const scaleWeight = Number(arg('scale-weight', '1'));
// --field-weight λ: weight of the displacement-field term (the field is fitted to the true displacement
// t + (s − 1)·u at the cells that hold ground-truth boundary); --eval-every N: held-out error every N steps
const fieldWeight = Number(arg('field-weight', '1'));
const evalEvery = Number(arg('eval-every', '0'));
// --theta-loss l1|l2: penalty on the θ residuals (the held-out metric is the mean absolute error)
const thetaLossKind = arg('theta-loss', 'l1') as 'l1' | 'l2';
// --threads N: data-parallel gradient computation in N threads (worker_threads, one wasm backend each)
const threads = Math.max(1, Number(arg('threads', '2')));
const objective: ObjectiveOptions = { scaleWeight, fieldWeight, thetaLoss: thetaLossKind };
const outDir = arg('out', join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'models', 'inverseform'));

function lrAt(step: number): number {
  // constant for the first warmFrac of the steps, then cosine decay to 5 % of the maximum
  const warm = warmFrac * steps;
  if (step < warm) return lrMax;
  const f = (step - warm) / Math.max(1, steps - warm);
  return lrMax * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * f)));
}

/** Worker threads that compute the gradients of a chunk of each batch (scripts/inverseform/grad-worker.ts). */
async function startWorkers(n: number): Promise<Worker[]> {
  const url = new URL('./inverseform/grad-worker.mjs', import.meta.url);
  const started = Array.from({ length: n }, () => {
    const w = new Worker(url, { workerData: { backend, options: objective } });
    return new Promise<Worker>((resolve, reject) => {
      w.once('message', () => {
        w.off('error', reject);
        resolve(w);
      });
      w.once('error', reject);
    });
  });
  return Promise.all(started);
}

/** One data-parallel step: the batch is cut into threads chunks, their gradients averaged by size. */
async function trainStep(
  weights: Record<string, tf.Variable>,
  optimizer: tf.Optimizer,
  b: Batch,
  pool: Worker[],
): Promise<number> {
  const chunks = pool.length + 1;
  const per = Math.ceil(b.size / chunks);
  const cut = (k: number) => {
    const lo = Math.min(b.size, k * per);
    const hi = Math.min(b.size, lo + per);
    const px = IF_TILE * IF_TILE * 2;
    return { x: b.x.slice(lo * px, hi * px), y: b.y.slice(lo * 4, hi * 4), size: hi - lo };
  };
  const current: Record<string, Float32Array> = {};
  if (pool.length) for (const [name, w] of Object.entries(weights)) current[name] = w.dataSync() as Float32Array;
  const replies = pool.map(
    (w, k) =>
      new Promise<ChunkGradients>((resolve, reject) => {
        w.once('message', (r: ChunkGradients) => {
          w.off('error', reject);
          resolve(r);
        });
        w.once('error', reject);
        w.postMessage({ weights: current, ...cut(k + 1) });
      }),
  );
  const own = cut(0);
  const parts = [chunkGradients(weights, own.x, own.y, own.size, objective), ...(await Promise.all(replies))];
  let loss = 0;
  const sum: Record<string, Float32Array> = {};
  for (const p of parts) {
    const f = p.size / b.size;
    loss += f * p.loss;
    for (const [name, g] of Object.entries(p.grads)) {
      const acc = sum[name] ?? new Float32Array(g.length);
      sum[name] = acc;
      for (let i = 0; i < g.length; i++) acc[i] = (acc[i] as number) + f * (g[i] as number);
    }
  }
  tf.tidy(() => {
    const named: Record<string, tf.Tensor> = {};
    for (const [name, g] of Object.entries(sum)) named[name] = tf.tensor(g, (weights[name] as tf.Variable).shape);
    optimizer.applyGradients(named);
  });
  return loss;
}

async function main() {
  await selectNodeBackend(backend);
  const weights = initWeights(seed);
  let previous: Record<string, unknown> | null = null;
  if (initPath) {
    const model = JSON.parse(readFileSync(initPath, 'utf8')) as { weightsManifest: WeightsManifestGroup[] };
    const bytes = readFileSync(join(dirname(initPath), 'group1-shard1of1.bin'));
    const loaded = deserializeWeights(model.weightsManifest, bytes);
    for (const [name, t] of Object.entries(loaded)) {
      (weights[name] as tf.Variable).assign(t);
      t.dispose();
    }
    previous = JSON.parse(readFileSync(join(dirname(initPath), 'card.json'), 'utf8')).training;
    console.log(`continuing from ${initPath}`);
  }
  const rng = mulberry32(seed);
  const optimizer = tf.train.adam(lrMax);
  const pool = await startWorkers(threads - 1);
  const t0 = Date.now();
  let genMs = 0;
  let ema = 0;
  const total = bench ? 20 : steps;
  let done = 0;
  for (let step = 0; step < total; step++) {
    if (step >= stopAfter) break;
    if ((Date.now() - t0) / 1000 > maxSeconds) {
      console.log(`stopping at step ${step}: --max-seconds ${maxSeconds} reached`);
      break;
    }
    done = step + 1;
    const g0 = Date.now();
    const b = makeBatch(rng, batchSize);
    genMs += Date.now() - g0;
    (optimizer as unknown as { learningRate: number }).learningRate = lrAt(step);
    const v = await trainStep(weights, optimizer, b, pool);
    ema = step === 0 ? v : 0.98 * ema + 0.02 * v;
    if (evalEvery > 0 && (step + 1) % evalEvery === 0) {
      const e = heldOutError(weights, HELDOUT_SEED + 1, 256);
      console.log(
        `eval step ${step + 1} ${((Date.now() - t0) / 1000).toFixed(0)} s: tx ${e.txPx.toFixed(3)} ty ${e.tyPx.toFixed(3)} px, sx ${e.sx.toFixed(4)} sy ${e.sy.toFixed(4)} (identity ${e.identityBaseline.sxRatio.toFixed(4)})`,
      );
    }
    if (step % 100 === 0 || step === total - 1) {
      const el = (Date.now() - t0) / 1000;
      console.log(
        `step ${step} loss ${v.toFixed(4)} ema ${ema.toFixed(4)} lr ${lrAt(step).toExponential(2)} ${el.toFixed(0)} s (gen ${(genMs / 1000).toFixed(0)} s)`,
      );
    }
  }
  for (const w of pool) await w.terminate();
  const trainSeconds = (Date.now() - t0) / 1000;
  if (bench) {
    console.log(
      `${backend}: ${((trainSeconds / total) * 1000).toFixed(0)} ms/step (batch ${batchSize}), gen ${genMs} ms total`,
    );
    return;
  }
  const err = heldOutError(weights);
  console.log('held-out', err);
  const { manifest, data } = serializeWeights(weights);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'group1-shard1of1.bin'), data);
  writeFileSync(
    join(outDir, 'model.json'),
    `${JSON.stringify({ format: 'segloss-inverseform/1', generatedBy: 'scripts/train-inverseform.ts', modelTopology: null, weightsManifest: manifest }, null, 2)}\n`,
  );
  const card = {
    name: 'SegLoss Explorer InverseForm network (inverse-transformation regressor)',
    notTheAuthorsNetwork:
      'Trained by this project on synthetic data. Borse et al. (CVPR 2021) used a ~100M-weight MLP on 224×224 tiles trained on boundary maps of real datasets; its weights are not published.',
    date: new Date().toISOString().slice(0, 10),
    architecture: IF_ARCHITECTURE,
    input: '32×32 tile, channel 0 = predicted boundary map, channel 1 = ground-truth boundary map, values in [0, 1]',
    output:
      'θ = (t_x, t_y, s_x − 1, s_y − 1): shift in tile-normalised units (pixels = θ·16) and per-axis scale about the tile centre minus 1; the identity is θ = 0',
    boundaryOperator:
      'b = min(1, ½ Σ_c [max3×3(y_c) − min3×3(y_c)]) (morphological gradient, neighbours outside the image ignored)',
    dataGenerator:
      'src/inverseform/synthetic.ts: 2–6 objects (discs, convex polygons, rotated rectangles, thin capsules) with labels 1..3 on a 32×32 tile; transformation: 10 % identity, shifts uniform in [−8, 8] px, scales log-uniform in [0.75, 4/3] (30 % none, 30 % isotropic); half of the predicted maps blurred once or twice by a 3×3 box filter and scaled by [0.6, 1]',
    parameters: Object.values(weights).reduce((a, w) => a + w.size, 0),
    weightBytes: data.byteLength,
    training: {
      command: `npm run train:inverseform -- ${process.argv.slice(2).join(' ')}`.trim(),
      seed,
      backend,
      steps: done,
      plannedSteps: steps,
      batchSize,
      optimizer: `Adam, lr ${lrMax} for ${Math.round(warmFrac * 100)} % of the steps then cosine decay to ${lrMax * 0.05}`,
      objective: `scripts/inverseform/objective.ts: mean |w⊙(θ̂ − θ)|${thetaLossKind === 'l2' ? '²' : ''}, w = (2, 2, ${2 * scaleWeight}, ${2 * scaleWeight}), + ${fieldWeight} · mean over samples of Σ_cells m·‖2(δ̂ − δ)‖² / (2Σ_cells m + 1), m = max of the ground-truth boundary over the cell, δ = true displacement t + (s − 1)·u at the cell centre`,
      seconds: Math.round(trainSeconds),
      threads,
      machine: '2-core VM (Node 20, TF.js 4.22 wasm backend in each thread)',
      finalTrainLossEma: ema,
      previousPhase: previous,
      totalSeconds: Math.round(
        trainSeconds +
          Number(
            (previous as { totalSeconds?: number; seconds?: number } | null)?.totalSeconds ??
              (previous as { seconds?: number } | null)?.seconds ??
              0,
          ),
      ),
    },
    heldOut: {
      seed: HELDOUT_SEED,
      samples: HELDOUT_SIZE,
      meanAbsError: { txPx: err.txPx, tyPx: err.tyPx, sxRatio: err.sx, syRatio: err.sy },
      identityBaselineMeanAbsError: err.identityBaseline,
      identityMeanNorm: err.identityMeanNorm,
      measuredBy: 'src/inverseform/evaluate.ts heldOutError (re-run by src/inverseform/network.test.ts)',
    },
  };
  writeFileSync(join(outDir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  console.log(`wrote ${outDir} (${data.byteLength} bytes of weights, ${trainSeconds.toFixed(0)} s)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

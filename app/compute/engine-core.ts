// Where the maths runs (inside the compute worker, or on the main thread as a fallback): holds the target
// tensor + GroundTruthContext per target version and evaluates the requested losses with one read-back.
import {
  evaluateLossesAsync,
  GroundTruthCache,
  type LossEvaluation,
  type LossRequest,
  loadInverseFormNet,
  tf,
} from '../../src';
import type { BackendName } from '../backend/select';
import { gpuBytes, initTfBackend, type WasmPaths } from '../backend/tf-backends';
import {
  LandscapeEngine,
  type LandscapeProgress,
  type LandscapeReply,
  type LandscapeRequest,
} from './landscape-engine';

export interface ComputeRequest {
  width: number;
  height: number;
  numClasses: number;
  targetVersion: number;
  /** Omitted when the engine already holds this target version. */
  target: Int32Array | null;
  logits: Float32Array;
  requests: LossRequest[];
}

export interface ComputeReply {
  results: LossEvaluation[];
  /** Time of the tensor work and the read-back, where the maths runs (ms). */
  engineMs: number;
  numTensors: number;
  gpuBytes: number | null;
  backend: string | null;
}

export class EngineCore {
  private cache = new GroundTruthCache();
  private labels: { version: number; key: string; target: Int32Array } | null = null;
  private landscapes = new LandscapeEngine();

  init(name: BackendName, wasm: WasmPaths) {
    this.drop();
    return initTfBackend(name, wasm);
  }

  /** True when the engine needs the target array for this version (i.e. it has not seen it yet). */
  needsTarget(version: number, width: number, height: number, numClasses: number): boolean {
    return !this.labels || this.labels.version !== version || this.labels.key !== `${width}x${height}x${numClasses}`;
  }

  async compute(req: ComputeRequest, yieldBetween?: () => Promise<void>): Promise<ComputeReply> {
    const t0 = performance.now();
    const key = `${req.width}x${req.height}x${req.numClasses}`;
    if (req.target) this.labels = { version: req.targetVersion, key, target: req.target };
    if (!this.labels || this.labels.version !== req.targetVersion || this.labels.key !== key) {
      throw new Error('engine: target of this version was not sent');
    }
    const { ctx, target } = this.cache.get(
      req.targetVersion,
      this.labels.target,
      [1, req.height, req.width],
      req.numClasses,
    );
    const x = tf.tensor4d(req.logits, [1, req.height, req.width, req.numClasses]);
    try {
      const out = await evaluateLossesAsync(x, target, req.requests, ctx, yieldBetween ? { yieldBetween } : {});
      return {
        results: out.results,
        engineMs: performance.now() - t0,
        numTensors: tf.memory().numTensors,
        gpuBytes: gpuBytes(),
        backend: tf.getBackend() ?? null,
      };
    } finally {
      x.dispose();
    }
  }

  /** Frees the cached target tensors (before a backend switch). */
  drop(): void {
    this.landscapes.drop();
    this.cache.dispose();
    this.labels = null;
  }

  /** One loss on a line or grid of perturbed logits; a newer call aborts the running one. */
  landscape(
    req: LandscapeRequest,
    onProgress?: LandscapeProgress,
    yieldBetween?: () => Promise<void>,
  ): Promise<LandscapeReply> {
    return this.landscapes.run(req, onProgress, yieldBetween);
  }

  backend(): string | null {
    return tf.getBackend() ?? null;
  }

  memory(): number {
    return tf.memory().numTensors;
  }

  loadInverseForm(url: string): Promise<void> {
    return loadInverseFormNet(url);
  }
}

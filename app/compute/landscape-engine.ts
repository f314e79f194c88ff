// Where loss landscapes are computed (inside the compute worker, or on the main thread with ?compute=main).
// A landscape is expensive (one loss evaluation per grid point), so it runs in batches and yields between them:
// live updates and a newer landscape request get through, and a newer request aborts the older one.
// It keeps its own ground-truth cache, so a live update that switches the target version cannot dispose the
// context a running landscape still uses.
import {
  evaluateLandscapeAsync,
  evaluateLandscapeLines,
  GroundTruthCache,
  type LandscapeAxisSpec,
  type LandscapeLineLoss,
  type LandscapeLinesResult,
  type LandscapeResult,
  type LossId,
  type Params,
  tf,
} from '../../src';

export interface LandscapeRequest {
  width: number;
  height: number;
  numClasses: number;
  targetVersion: number;
  /** Always sent (small next to the work): the landscape does not depend on what the live updates sent. */
  target: Int32Array;
  logits: Float32Array;
  lossId: LossId;
  params: Params;
  axes: LandscapeAxisSpec[];
  margin?: number;
  /**
   * "Compare losses": when set, these losses are evaluated along axes[0] (one line each, errors per loss) and
   * the reply carries `lines` instead of `result`; lossId/params are then ignored.
   */
  compare?: LandscapeLineLoss[];
}

export interface LandscapeReply {
  /** The single-loss landscape (null for a compare request). */
  result: LandscapeResult | null;
  /** The compared losses' lines (null for a single-loss request). */
  lines: LandscapeLinesResult | null;
  backend: string | null;
  numTensors: number;
}

export type LandscapeProgress = (done: number, total: number) => void;

/** A macrotask break (MessageChannel) so queued messages are handled between batches. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

export class LandscapeEngine {
  private cache = new GroundTruthCache();
  private running: AbortController | null = null;

  async run(
    req: LandscapeRequest,
    onProgress?: LandscapeProgress,
    yieldBetween: () => Promise<void> = macrotask,
  ): Promise<LandscapeReply> {
    this.running?.abort(); // a newer request wins; the older one rejects with LandscapeCancelledError
    const controller = new AbortController();
    this.running = controller;
    const { ctx, target } = this.cache.get(req.targetVersion, req.target, [1, req.height, req.width], req.numClasses);
    const x = tf.tensor4d(req.logits, [1, req.height, req.width, req.numClasses]);
    try {
      if (req.compare) {
        const axis = req.axes[0];
        if (!axis || req.axes.length !== 1) throw new Error('landscape: comparing losses needs exactly one axis');
        const lines = await evaluateLandscapeLines(req.compare, x, target, axis, {
          ctx,
          ...(req.margin !== undefined ? { margin: req.margin } : {}),
          yieldBetween,
          signal: controller.signal,
          ...(onProgress ? { onProgress } : {}),
        });
        return { result: null, lines, backend: tf.getBackend() ?? null, numTensors: tf.memory().numTensors };
      }
      const result = await evaluateLandscapeAsync(req.lossId, x, target, req.axes, {
        params: req.params,
        ctx,
        ...(req.margin !== undefined ? { margin: req.margin } : {}),
        yieldBetween,
        signal: controller.signal,
        ...(onProgress ? { onProgress } : {}),
      });
      return { result, lines: null, backend: tf.getBackend() ?? null, numTensors: tf.memory().numTensors };
    } finally {
      x.dispose();
      if (this.running === controller) this.running = null;
    }
  }

  /** Aborts the running landscape and frees the cached target (before a backend switch). */
  drop(): void {
    this.running?.abort();
    this.running = null;
    this.cache.dispose();
  }
}

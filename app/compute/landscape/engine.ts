// Where loss landscapes are computed (inside the compute worker, or on the main thread with ?compute=main).
// A landscape is expensive (one loss evaluation per grid point), so it runs in batches and yields between them:
// live updates and a newer landscape request get through, and a newer request aborts the older one.
// It keeps its own ground-truth cache, so a live update that switches the target version cannot dispose the
// context a running landscape still uses.
import {
  evaluateLandscapeAsync,
  evaluateLandscapeLines,
  evaluateNamedLandscape,
  evaluatePixelCurves,
  GroundTruthCache,
  namedPointLogits,
  tf,
} from '../../../src';
import { macrotask } from '../yield';
import type { LandscapeProgress, LandscapeReply, LandscapeRequest } from './requests';

export class LandscapeEngine {
  private cache = new GroundTruthCache();
  private running: AbortController | null = null;

  async run(
    req: LandscapeRequest,
    onProgress?: LandscapeProgress,
    yieldBetween: () => Promise<void> = macrotask,
  ): Promise<LandscapeReply> {
    // A click's point and a pixel's curves are quick and do not cancel a running landscape.
    const long = req.kind === 'grid' || req.kind === 'lines' || req.kind === 'named';
    let controller: AbortController | null = null;
    if (long) {
      this.running?.abort(); // a newer request wins; the older one rejects with LandscapeCancelledError
      controller = new AbortController();
      this.running = controller;
    }
    const { ctx, target } = this.cache.get(req.targetVersion, req.target, [1, req.height, req.width], req.numClasses);
    const x = tf.tensor4d(req.logits, [1, req.height, req.width, req.numClasses]);
    const info = () => ({ backend: tf.getBackend() ?? null, numTensors: tf.memory().numTensors });
    const opts = {
      ctx,
      yieldBetween,
      ...(controller ? { signal: controller.signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    };
    const margin = 'margin' in req && req.margin !== undefined ? { margin: req.margin } : {};
    try {
      switch (req.kind) {
        case 'grid': {
          const result = await evaluateLandscapeAsync(req.lossId, x, target, req.axes, {
            ...opts,
            ...margin,
            params: req.params,
          });
          return { kind: 'grid', result, ...info() };
        }
        case 'lines': {
          const lines = await evaluateLandscapeLines(req.losses, x, target, req.axis, { ...opts, ...margin });
          return { kind: 'lines', lines, ...info() };
        }
        case 'named': {
          const named = await evaluateNamedLandscape(req.losses, x, target, req.axes, { ...opts, base: req.base });
          return { kind: 'named', named, ...info() };
        }
        case 'named-point': {
          const z = namedPointLogits(x, target, req.axes, req.coords, { base: req.base });
          try {
            return { kind: 'named-point', logits: (await z.data()) as Float32Array, ...info() };
          } finally {
            z.dispose();
          }
        }
        case 'pixel-curves': {
          const curves = await evaluatePixelCurves(req.losses, x, target, req.y, req.x, { ctx });
          return { kind: 'pixel-curves', curves, ...info() };
        }
      }
      throw new Error(`unknown landscape request kind '${(req as { kind: unknown }).kind}'`);
    } finally {
      x.dispose();
      if (controller && this.running === controller) this.running = null;
    }
  }

  /** Aborts the running landscape (the Cancel button); it rejects with LandscapeCancelledError. */
  cancel(): void {
    this.running?.abort();
    this.running = null;
  }

  /** Aborts the running landscape and frees the cached target (before a backend switch). */
  drop(): void {
    this.cancel();
    this.cache.dispose();
  }
}

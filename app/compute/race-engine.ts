// Where loss races run (inside the compute worker, or on the main thread with ?compute=main): in chunks of steps,
// yielding between them so that progress gets out and a cancel (or a newer race) gets in.
import { RaceCancelledError, type RaceSettings, type RaceTrajectory, runRace, tf } from '../../src';
import { macrotask } from './yield';

export interface RaceRequest {
  width: number;
  height: number;
  numClasses: number;
  target: Int32Array;
  /** The start of every racer. */
  logits: Float32Array;
  settings: RaceSettings;
  /** Network mode: the underlay as greyscale H·W values in [0, 1]; null renders an input from the target. */
  image: Float32Array | null;
}

export interface RaceReply {
  trajectory: RaceTrajectory;
  backend: string | null;
  numTensors: number;
  /** Time of the race where it ran (ms). */
  engineMs: number;
}

export type RaceProgress = (done: number, total: number) => void;

/** Steps per chunk: about a tenth of a second of work at 64², so a cancel is answered quickly. */
const CHUNK_STEPS = 10;

export class RaceEngine {
  private running: AbortController | null = null;

  async run(
    req: RaceRequest,
    onProgress?: RaceProgress,
    yieldBetween: () => Promise<void> = macrotask,
  ): Promise<RaceReply> {
    this.running?.abort(); // a newer race wins; the older one rejects with RaceCancelledError
    const controller = new AbortController();
    this.running = controller;
    const t0 = performance.now();
    const logits = tf.tensor4d(req.logits, [1, req.height, req.width, req.numClasses]);
    const target = tf.tensor3d(req.target, [1, req.height, req.width], 'int32');
    try {
      const trajectory = await runRace(
        req.settings,
        { logits, target, ...(req.image ? { image: req.image } : {}) },
        { chunkSteps: CHUNK_STEPS, signal: controller.signal, yieldBetween, ...(onProgress ? { onProgress } : {}) },
      );
      return {
        trajectory,
        backend: tf.getBackend() ?? null,
        numTensors: tf.memory().numTensors,
        engineMs: performance.now() - t0,
      };
    } finally {
      tf.dispose([logits, target]);
      if (this.running === controller) this.running = null;
    }
  }

  /** Stops the running race (it rejects with RaceCancelledError at the next chunk boundary). */
  cancel(): void {
    this.running?.abort();
    this.running = null;
  }
}

export { RaceCancelledError };

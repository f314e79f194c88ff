// The page's handle on the engine: a module worker by default; the main thread when workers are unavailable,
// the worker script does not load, or `?compute=main` asks for it (then the engine yields to input between
// losses). Implementations: worker-host.ts, main-host.ts; resilient-host.ts supervises them (faults, restarts).

import type { BackendName } from '../backend/select';
import type { BackendStart, WasmPaths } from '../backend/tf-backends';
import type { ComputeReply, ComputeRequest, OnPartial } from './engine-core';
import type { JitWarmUpStatus } from './jit-warm-up';
import type { LandscapeProgress, LandscapeReply, LandscapeRequest } from './landscape/requests';
import type { MetricsReply, MetricsRequest } from './metrics-request';
import type { RaceReply, RaceRequest } from './race-engine';

/** Faults on purpose, sent only by the browser tests' hooks (?testHooks=1, app/compute/test-hooks.ts). */
export type TestHook = 'loseContext' | 'abortNext' | 'close' | 'crash';

export type WorkerCall =
  | { id: number; type: 'init'; backend: BackendName; wasm: WasmPaths }
  | { id: number; type: 'compute'; request: ComputeRequest }
  | { id: number; type: 'supersede'; state: number }
  | { id: number; type: 'board'; board: Int32Array }
  | { id: number; type: 'drop' }
  | { id: number; type: 'status' }
  | { id: number; type: 'probe' }
  | { id: number; type: 'loadInverseForm'; url: string }
  | { id: number; type: 'landscape'; request: LandscapeRequest }
  | { id: number; type: 'cancelLandscape' }
  | { id: number; type: 'race'; request: RaceRequest }
  | { id: number; type: 'cancelRace' }
  | { id: number; type: 'metrics'; request: MetricsRequest }
  | { id: number; type: 'recycle'; buffers: ArrayBuffer[] }
  | { id: number; type: 'ping' }
  | { id: number; type: 'testHook'; hook: TestHook };

/** What the engine reports about itself (the stats panel, the browser tests, the app benchmark). */
export interface EngineStatus {
  backend: string | null;
  numTensors: number;
  /** The background JIT warm-up (app/compute/jit-warm-up.ts); null where it does not run. */
  jitWarmUp: JitWarmUpStatus | null;
  /** Gradient arrays of live updates: given back by the page and reused, or made new (gradient-pool.ts). */
  gradientArrays: { reused: number; made: number };
  /** Newer states reach a running request through shared memory (a cross-origin isolated page), see latest.ts. */
  latestBoard: boolean;
}

export interface ComputeHost {
  thread: 'worker' | 'main thread';
  init(name: BackendName, wasm: WasmPaths): Promise<BackendStart>;
  needsTarget(version: number, width: number, height: number, numClasses: number): boolean;
  /**
   * Rejects with SupersededError when a newer state (see supersede) replaced the request's before it ended.
   * With `req.partialEvery`, results arrive in parts through `onPartial` (each loss once) and the reply holds the
   * rest; results already handed over stay valid when the request is later superseded or fails.
   */
  compute(req: ComputeRequest, onPartial?: OnPartial): Promise<ComputeReply>;
  /** Announces a newer page state: requests of older states stop at their next loss boundary. */
  supersede(state: number): void;
  /**
   * Gives the engine back gradient arrays of earlier replies that nothing on the page reads any more, for later
   * updates to write into (moved to the worker: the page must hold no view of them).
   */
  recycle(buffers: ArrayBuffer[]): void;
  drop(): Promise<void>;
  status(): Promise<EngineStatus>;
  /** WebGL renderer string where the maths runs (null: no WebGL there). */
  probeRenderer(): Promise<string | null>;
  loadInverseForm(url: string): Promise<void>;
  /** A landscape request (see app/compute/landscape/requests.ts); a newer long one makes the running one reject. */
  landscape(req: LandscapeRequest, onProgress?: LandscapeProgress): Promise<LandscapeReply>;
  /** Stops the running landscape: its call rejects with LandscapeCancelledError. */
  cancelLandscape(): Promise<void>;
  /** A loss race (see app/compute/race-engine.ts), with progress; a newer race or cancelRace() rejects it. */
  race(req: RaceRequest, onProgress?: LandscapeProgress): Promise<RaceReply>;
  cancelRace(): Promise<void>;
  /** Dice, IoU, HD95, HD and ASSD of the argmax of the logits (src/metrics), where the maths runs. */
  metrics(req: MetricsRequest): Promise<MetricsReply>;
}

/** One engine (a worker, or the page's thread) under the supervisor's care. */
export interface EngineHost extends ComputeHost {
  readonly thread: 'worker' | 'main thread';
  /** Ends this engine for good: pending calls reject with `reason`. */
  dispose(reason: Error): void;
  testHook(hook: TestHook): void;
}

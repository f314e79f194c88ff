// The page's handle on the engine: a module worker by default; the main thread when workers are unavailable
// or `?compute=main` asks for it (then the engine yields to input between losses).

import type { LossRequest } from '../../src';
import { type BackendName, probeRenderer } from '../backend/select';
import type { BackendStart, WasmPaths } from '../backend/tf-backends';
import { errorMessage } from '../messages';
import type { ComputeReply, ComputeRequest } from './engine-core';
import type { LandscapeProgress, LandscapeReply, LandscapeRequest } from './landscape/requests';
import { SupersededError } from './latest';
import type { RaceReply, RaceRequest } from './race-engine';
import { yieldToEvents } from './yield';

export type WorkerCall =
  | { id: number; type: 'init'; backend: BackendName; wasm: WasmPaths }
  | { id: number; type: 'compute'; request: ComputeRequest }
  | { id: number; type: 'supersede'; state: number }
  | { id: number; type: 'warmUp'; requests: LossRequest[]; numClasses: number }
  | { id: number; type: 'drop' }
  | { id: number; type: 'status' }
  | { id: number; type: 'probe' }
  | { id: number; type: 'loadInverseForm'; url: string }
  | { id: number; type: 'landscape'; request: LandscapeRequest }
  | { id: number; type: 'cancelLandscape' }
  | { id: number; type: 'race'; request: RaceRequest }
  | { id: number; type: 'cancelRace' };

type Payload<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface ComputeHost {
  thread: 'worker' | 'main thread';
  init(name: BackendName, wasm: WasmPaths): Promise<BackendStart>;
  needsTarget(version: number, width: number, height: number, numClasses: number): boolean;
  /** Rejects with SupersededError when a newer state (see supersede) replaced the request's before it ended. */
  compute(req: ComputeRequest): Promise<ComputeReply>;
  /** Announces a newer page state: requests of older states stop at their next loss boundary. */
  supersede(state: number): void;
  /** Compiles what these losses need on a tiny input (first WebGL use), results thrown away. */
  warmUp(requests: LossRequest[], numClasses: number): Promise<void>;
  drop(): Promise<void>;
  status(): Promise<{ backend: string | null; numTensors: number }>;
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
}

class WorkerHost implements ComputeHost {
  thread = 'worker' as const;
  private next = 1;
  private pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: LandscapeProgress }
  >();
  private sent: { version: number; key: string } | null = null;

  constructor(private worker: Worker) {
    worker.onmessage = (
      ev: MessageEvent<{
        id: number;
        ok: boolean;
        result?: unknown;
        error?: string;
        superseded?: boolean;
        progress?: { done: number; total: number };
      }>,
    ) => {
      const p = this.pending.get(ev.data.id);
      if (!p) return;
      if (ev.data.progress) {
        // Progress of a long call (landscapes): the call stays pending.
        p.onProgress?.(ev.data.progress.done, ev.data.progress.total);
        return;
      }
      this.pending.delete(ev.data.id);
      if (ev.data.ok) p.resolve(ev.data.result);
      else if (ev.data.superseded) p.reject(new SupersededError(-1, -1));
      else p.reject(new Error(ev.data.error ?? 'compute worker error'));
    };
    worker.onerror = (ev) => {
      const err = new Error(`compute worker failed: ${ev.message || 'script error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  private call<T>(msg: Payload<WorkerCall>, transfer: Transferable[] = [], onProgress?: LandscapeProgress): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(onProgress ? { onProgress } : {}) });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  init(backend: BackendName, wasm: WasmPaths) {
    this.sent = null;
    return this.call<BackendStart>({ type: 'init', backend, wasm });
  }
  needsTarget(version: number, width: number, height: number, numClasses: number) {
    return !this.sent || this.sent.version !== version || this.sent.key !== `${width}x${height}x${numClasses}`;
  }
  compute(request: ComputeRequest) {
    if (request.target)
      this.sent = { version: request.targetVersion, key: `${request.width}x${request.height}x${request.numClasses}` };
    // Copies go to the worker (the store's arrays stay immutable and owned by the page).
    return this.call<ComputeReply>({ type: 'compute', request });
  }
  supersede(state: number) {
    this.worker.postMessage({ type: 'supersede', state, id: 0 });
  }
  warmUp(requests: LossRequest[], numClasses: number) {
    return this.call<void>({ type: 'warmUp', requests, numClasses });
  }
  async drop() {
    this.sent = null;
    await this.call({ type: 'drop' });
  }
  status() {
    return this.call<{ backend: string | null; numTensors: number }>({ type: 'status' });
  }
  loadInverseForm(url: string) {
    return this.call<void>({ type: 'loadInverseForm', url });
  }
  probeRenderer() {
    return this.call<string | null>({ type: 'probe' });
  }
  landscape(request: LandscapeRequest, onProgress?: LandscapeProgress) {
    return this.call<LandscapeReply>({ type: 'landscape', request }, [], onProgress);
  }
  async cancelLandscape() {
    await this.call({ type: 'cancelLandscape' });
  }

  race(request: RaceRequest, onProgress?: LandscapeProgress) {
    return this.call<RaceReply>({ type: 'race', request }, [], onProgress);
  }
  async cancelRace() {
    await this.call({ type: 'cancelRace' });
  }
}

class MainThreadHost implements ComputeHost {
  thread = 'main thread' as const;
  constructor(private core: import('./engine-core').EngineCore) {}
  init(name: BackendName, wasm: WasmPaths) {
    return this.core.init(name, wasm);
  }
  needsTarget(version: number, width: number, height: number, numClasses: number) {
    return this.core.needsTarget(version, width, height, numClasses);
  }
  compute(req: ComputeRequest) {
    return this.core.compute(req, yieldToEvents);
  }
  supersede(state: number) {
    this.core.supersede(state);
  }
  warmUp(requests: LossRequest[], numClasses: number) {
    return this.core.warmUp(requests, numClasses);
  }
  async drop() {
    this.core.drop();
  }
  async status() {
    return { backend: this.core.backend(), numTensors: this.core.memory() };
  }
  loadInverseForm(url: string) {
    return this.core.loadInverseForm(url);
  }
  async probeRenderer() {
    return probeRenderer();
  }
  landscape(req: LandscapeRequest, onProgress?: LandscapeProgress) {
    return this.core.landscape(req, onProgress, yieldToEvents);
  }
  async cancelLandscape() {
    this.core.cancelLandscape();
  }

  race(req: RaceRequest, onProgress?: LandscapeProgress) {
    return this.core.race(req, onProgress, yieldToEvents);
  }
  async cancelRace() {
    this.core.cancelRace();
  }
}

/** A worker host unless workers are missing or `preferMain`; the main-thread engine is loaded lazily. */
export async function createHost(preferMain: boolean): Promise<{ host: ComputeHost; note: string | null }> {
  let note: string | null = null;
  if (!preferMain && typeof Worker !== 'undefined') {
    try {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'segloss-compute' });
      return { host: new WorkerHost(worker), note: null };
    } catch (e) {
      note = `The compute worker could not start (${errorMessage(e)}); computing on the main thread.`;
    }
  }
  const { EngineCore } = await import('./engine-core');
  return { host: new MainThreadHost(new EngineCore()), note };
}

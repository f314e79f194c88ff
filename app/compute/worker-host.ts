import type { BackendName } from '../backend/select';
import type { BackendStart, WasmPaths } from '../backend/tf-backends';
import type { ComputeReply, ComputeRequest, OnPartial } from './engine-core';
import { type EngineFault, EngineFaultError } from './faults';
import type { EngineHost, EngineStatus, TestHook, WorkerCall } from './host';
import type { LandscapeProgress, LandscapeReply, LandscapeRequest } from './landscape/requests';
import { announceOnBoard, makeLatestBoard, SupersededError } from './latest';
import type { MetricsReply, MetricsRequest } from './metrics-request';
import type { RaceReply, RaceRequest } from './race-engine';

/** Messages the worker sends on its own (id 0). */
export type WorkerEvent =
  | { type: 'hello'; lock: string | null }
  | { type: 'fault'; fault: EngineFault }
  | { type: 'pong'; contextLost: boolean };

export interface Heartbeat {
  /** How often a pending call makes the page ping the worker (ms). */
  pingEveryMs: number;
  /** Silence (no message at all) after which a worker with a pending call counts as hung (ms). */
  silentAfterMs: number;
}

/** Generous: a single loss at 256² on a slow machine blocks the worker for seconds; only real hangs count. */
export const DEFAULT_HEARTBEAT: Heartbeat = { pingEveryMs: 2_000, silentAfterMs: 30_000 };

type Payload<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Reply {
  id: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  superseded?: boolean;
  fatal?: boolean;
  progress?: { done: number; total: number };
  /** Part of a streamed compute's results (the call stays pending). */
  partial?: ComputeReply;
  event?: WorkerEvent;
}

export class WorkerHost implements EngineHost {
  readonly thread = 'worker' as const;
  private next = 1;
  private pending = new Map<
    number,
    {
      resolve: (v: unknown) => void;
      reject: (e: Error) => void;
      onProgress?: LandscapeProgress;
      onPartial?: OnPartial;
    }
  >();
  private sent: { version: number; key: string } | null = null;
  private loaded = false;
  private disposed = false;
  private lastHeard = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The newest state, shared with the worker where the page is cross-origin isolated (latest.ts). */
  private readonly board = makeLatestBoard();

  constructor(
    private worker: Worker,
    private report: (f: EngineFault) => void,
    private heartbeat: Heartbeat = DEFAULT_HEARTBEAT,
  ) {
    if (this.board) worker.postMessage({ type: 'board', board: this.board, id: 0 });
    worker.onmessage = (ev: MessageEvent<Reply>) => {
      this.lastHeard = Date.now();
      const d = ev.data;
      if (d.event) {
        this.onEvent(d.event);
        return;
      }
      const p = this.pending.get(d.id);
      if (!p) return;
      if (d.partial) {
        p.onPartial?.(d.partial);
        return;
      }
      if (d.progress) {
        // Progress of a long call (landscapes): the call stays pending.
        p.onProgress?.(d.progress.done, d.progress.total);
        return;
      }
      this.pending.delete(d.id);
      if (d.ok) p.resolve(d.result);
      else if (d.superseded) p.reject(new SupersededError(-1, -1));
      else if (d.fatal) {
        const fault: EngineFault = { kind: 'engine-abort', detail: d.error ?? 'RuntimeError' };
        p.reject(new EngineFaultError(fault));
        this.fail(fault);
      } else p.reject(new Error(d.error ?? 'compute worker error'));
    };
    worker.onerror = (ev) => {
      const detail = ev.message || 'script error';
      this.fail(
        this.loaded ? { kind: 'worker-error', detail } : { kind: 'load-failed', detail: `${detail}; ${ev.type}` },
      );
    };
  }

  private onEvent(e: WorkerEvent): void {
    if (e.type === 'hello') {
      this.loaded = true;
      if (e.lock && typeof navigator !== 'undefined' && navigator.locks) {
        // Granted only once the worker's own hold on the lock ends, i.e. when the worker ends.
        void navigator.locks.request(e.lock, () => {
          this.fail({ kind: 'worker-died', detail: 'the worker ended' });
        });
      }
    } else if (e.type === 'fault') this.fail(e.fault);
    else if (e.contextLost) this.fail({ kind: 'context-lost', detail: 'isContextLost() while a call was pending' });
  }

  /** Reports a fault once (never after dispose: a terminated worker also releases its lock). */
  private fail(f: EngineFault): void {
    if (this.disposed) return;
    this.report(f);
  }

  private beat(): void {
    if (this.pending.size === 0 || this.disposed) {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    const silent = Date.now() - this.lastHeard;
    if (this.loaded && silent > this.heartbeat.silentAfterMs) {
      this.fail({ kind: 'unresponsive', detail: `no answer for ${Math.round(silent / 1000)} s` });
      return;
    }
    this.worker.postMessage({ type: 'ping', id: 0 });
  }

  private call<T>(
    msg: Payload<WorkerCall>,
    transfer: Transferable[] = [],
    onProgress?: LandscapeProgress,
    onPartial?: OnPartial,
  ): Promise<T> {
    const id = this.next++;
    if (this.pending.size === 0) this.lastHeard = Date.now(); // silence counts from the first pending call
    if (this.timer === null) this.timer = setInterval(() => this.beat(), this.heartbeat.pingEveryMs);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        ...(onProgress ? { onProgress } : {}),
        ...(onPartial ? { onPartial } : {}),
      });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  dispose(reason: Error): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }

  testHook(hook: TestHook): void {
    this.worker.postMessage({ type: 'testHook', hook, id: 0 });
  }

  init(backend: BackendName, wasm: WasmPaths) {
    this.sent = null;
    return this.call<BackendStart>({ type: 'init', backend, wasm });
  }
  needsTarget(version: number, width: number, height: number, numClasses: number) {
    return !this.sent || this.sent.version !== version || this.sent.key !== `${width}x${height}x${numClasses}`;
  }
  compute(request: ComputeRequest, onPartial?: OnPartial) {
    if (request.target)
      this.sent = { version: request.targetVersion, key: `${request.width}x${request.height}x${request.numClasses}` };
    // Copies go to the worker (the store's arrays stay immutable and owned by the page).
    return this.call<ComputeReply>({ type: 'compute', request }, [], undefined, onPartial);
  }
  supersede(state: number) {
    if (this.board) announceOnBoard(this.board, state);
    this.worker.postMessage({ type: 'supersede', state, id: 0 });
  }
  recycle(buffers: ArrayBuffer[]) {
    if (!this.disposed && buffers.length > 0) this.worker.postMessage({ type: 'recycle', buffers, id: 0 }, buffers);
  }
  async drop() {
    this.sent = null;
    await this.call({ type: 'drop' });
  }
  status() {
    return this.call<EngineStatus>({ type: 'status' });
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
  metrics(request: MetricsRequest) {
    return this.call<MetricsReply>({ type: 'metrics', request });
  }
}

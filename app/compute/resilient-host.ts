import type { BackendName } from '../backend/select';
import type { WasmPaths } from '../backend/tf-backends';
import type { ComputeRequest, OnPartial } from './engine-core';
import { type EngineFault, EngineFaultError, WorkerLoadError } from './faults';
import type { ComputeHost, EngineHost, TestHook } from './host';
import type { LandscapeProgress, LandscapeRequest } from './landscape/requests';
import { MainThreadHost } from './main-host';
import type { MetricsRequest } from './metrics-request';
import type { RaceRequest } from './race-engine';
import { WorkerHost } from './worker-host';

type Report = (f: EngineFault) => void;

export interface EngineFactories {
  /** A new worker engine (null: workers unavailable or not wanted). May throw (then the page's thread is used). */
  worker: ((report: Report) => EngineHost) | null;
  main: (report: Report) => Promise<EngineHost>;
}

export type FaultListener = (fault: EngineFault, now: { thread: 'worker' | 'main thread' }) => void;

/** Faults within this window count towards giving up on workers. */
const RESTART_WINDOW_MS = 60_000;
const MAX_WORKER_RESTARTS = 3;

export class ResilientHost implements ComputeHost {
  private host: EngineHost | null = null;
  private next: Promise<EngineHost>;
  private current: 'worker' | 'main thread';
  private needsInit: EngineFault | null = null;
  private restarts: number[] = [];
  private listeners = new Set<FaultListener>();
  private target: { version: number; key: string; target: Int32Array } | null = null;
  /** Counts engine starts: a page-thread engine that arrives after a newer start is not adopted. */
  private generation = 0;
  /** Why the first worker could not be created (then the page's thread computes), for a notice. */
  note: string | null = null;

  constructor(private make: EngineFactories) {
    this.current = make.worker ? 'worker' : 'main thread';
    this.next = make.worker ? this.startWorker() : this.startMain();
  }

  get thread(): 'worker' | 'main thread' {
    return this.current;
  }

  /** True after a fault until a backend was initialised on the replacement engine. */
  get needsStart(): boolean {
    return this.needsInit !== null;
  }

  /** Called after every fault, once the replacement engine exists (not yet initialised). */
  onFault(listener: FaultListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private startWorker(): Promise<EngineHost> {
    const make = this.make.worker;
    if (!make) return this.startMain();
    try {
      const h: EngineHost = make((f) => this.fault(h, f));
      this.generation++;
      this.host = h;
      this.current = 'worker';
      return Promise.resolve(h);
    } catch (e) {
      this.note = `The compute worker could not start (${e instanceof Error ? e.message : String(e)}); computing on the main thread.`;
      return this.startMain();
    }
  }

  private startMain(): Promise<EngineHost> {
    const generation = ++this.generation;
    this.current = 'main thread';
    this.host = null;
    let h: EngineHost | null = null;
    return this.make
      .main((f) => this.fault(h, f))
      .then((made) => {
        h = made;
        if (generation === this.generation) this.host = made;
        return made;
      });
  }

  private fault(source: EngineHost | null, f: EngineFault): void {
    if (!source || source !== this.host) return; // an engine already replaced
    this.host = null;
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    const toMain =
      f.kind === 'load-failed' || source.thread === 'main thread' || this.restarts.length > MAX_WORKER_RESTARTS;
    // The replacement exists before the old engine's calls reject, so a replayed call finds it.
    this.next = toMain ? this.startMain() : this.startWorker();
    if (f.kind === 'load-failed') source.dispose(new WorkerLoadError(f.detail));
    else {
      this.needsInit = f;
      source.dispose(new EngineFaultError(f));
    }
    for (const l of this.listeners) l(f, { thread: this.current });
  }

  /**
   * Runs `fn` on the engine in use. A call lost with a worker that never loaded is replayed on its successor;
   * so is one that needs no engine state (init, probe, status, drop, cancel) when its engine faulted meanwhile
   * (a backend switch racing a lost context must not fail, or fall back, because of it).
   */
  private call<T>(needsBackend: boolean, fn: (h: EngineHost) => Promise<T>): Promise<T> {
    // Fast path: the engine in use is there (`next` resolves to it); the call starts synchronously, without
    // a microtask hop (a live update is posted before the page's pending re-render).
    const h = this.host;
    if (!h || (needsBackend && this.needsInit)) return this.callLater(needsBackend, fn, 0);
    let first: Promise<T>;
    try {
      first = fn(h);
    } catch (e) {
      first = Promise.reject(e);
    }
    return first.catch((e: unknown) => {
      if (replayable(e, needsBackend)) return this.callLater(needsBackend, fn, 1);
      throw e;
    });
  }

  private async callLater<T>(needsBackend: boolean, fn: (h: EngineHost) => Promise<T>, tried: number): Promise<T> {
    for (let tries = tried; ; tries++) {
      const h = await this.next;
      if (needsBackend && this.needsInit) throw new EngineFaultError(this.needsInit);
      try {
        return await fn(h);
      } catch (e) {
        if (replayable(e, needsBackend) && tries < 2) continue;
        throw e;
      }
    }
  }

  /** Faults on purpose (browser tests, ?testHooks=1 only). */
  testHook(hook: TestHook): void {
    void this.next.then((h) => h.testHook(hook));
  }

  async init(name: BackendName, wasm: WasmPaths) {
    const r = await this.call(false, (h) => h.init(name, wasm));
    this.needsInit = null;
    return r;
  }
  needsTarget(version: number, width: number, height: number, numClasses: number) {
    return this.host?.needsTarget(version, width, height, numClasses) ?? true;
  }
  compute(req: ComputeRequest, onPartial?: OnPartial) {
    const key = `${req.width}x${req.height}x${req.numClasses}`;
    if (req.target) this.target = { version: req.targetVersion, key, target: req.target };
    return this.call(true, (h) => {
      const t = this.target;
      const resend =
        !req.target &&
        t?.version === req.targetVersion &&
        t.key === key &&
        h.needsTarget(req.targetVersion, req.width, req.height, req.numClasses);
      return h.compute(resend ? { ...req, target: t.target } : req, onPartial);
    });
  }
  supersede(state: number) {
    this.host?.supersede(state);
  }
  recycle(buffers: ArrayBuffer[]) {
    this.host?.recycle(buffers);
  }
  drop() {
    return this.call(false, (h) => h.drop());
  }
  status() {
    return this.call(false, (h) => h.status());
  }
  probeRenderer() {
    return this.call(false, (h) => h.probeRenderer());
  }
  loadInverseForm(url: string) {
    return this.call(true, (h) => h.loadInverseForm(url));
  }
  landscape(req: LandscapeRequest, onProgress?: LandscapeProgress) {
    return this.call(true, (h) => h.landscape(req, onProgress));
  }
  cancelLandscape() {
    return this.call(false, (h) => h.cancelLandscape());
  }
  race(req: RaceRequest, onProgress?: LandscapeProgress) {
    return this.call(true, (h) => h.race(req, onProgress));
  }
  cancelRace() {
    return this.call(false, (h) => h.cancelRace());
  }
  metrics(req: MetricsRequest) {
    return this.call(true, (h) => h.metrics(req));
  }
}

/** A call lost with a worker that never loaded, or one that needs no engine state lost to a fault. */
function replayable(e: unknown, needsBackend: boolean): boolean {
  return e instanceof WorkerLoadError || (!needsBackend && e instanceof EngineFaultError);
}

/**
 * The page's compute host: a supervised module worker unless workers are missing or `preferMain`; the
 * page-thread engine (and its TF.js) is loaded only when needed.
 */
export function createHost(preferMain: boolean): ResilientHost {
  const worker =
    !preferMain && typeof Worker !== 'undefined'
      ? (report: Report) =>
          new WorkerHost(
            new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'segloss-compute' }),
            report,
          )
      : null;
  return new ResilientHost({
    worker,
    main: async (report) => {
      const { EngineCore } = await import('./engine-core');
      return new MainThreadHost(new EngineCore(), report);
    },
  });
}

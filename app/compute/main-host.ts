import { type BackendName, probeRenderer } from '../backend/select';
import type { WasmPaths } from '../backend/tf-backends';
import type { ComputeRequest, EngineCore, OnPartial } from './engine-core';
import { type EngineFault, EngineFaultError, isEngineAbort } from './faults';
import type { EngineHost, TestHook } from './host';
import type { LandscapeProgress, LandscapeRequest } from './landscape/requests';
import type { MetricsRequest } from './metrics-request';
import type { RaceRequest } from './race-engine';
import { yieldToEvents } from './yield';

export class MainThreadHost implements EngineHost {
  readonly thread = 'main thread' as const;
  private disposed = false;

  constructor(
    private core: EngineCore,
    private report: (f: EngineFault) => void,
  ) {
    core.onFault = (f) => this.fail(f);
  }

  private fail(f: EngineFault): void {
    if (!this.disposed) this.report(f);
  }

  /** An abort of the WASM engine becomes a fault (the engine is restarted); other errors pass through. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (!isEngineAbort(e)) throw e;
      const fault: EngineFault = { kind: 'engine-abort', detail: e instanceof Error ? e.message : String(e) };
      this.fail(fault);
      throw new EngineFaultError(fault);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.core.onFault = null;
    this.core.resetBackend();
  }

  testHook(hook: TestHook): void {
    if (hook === 'loseContext' || hook === 'abortNext') this.core.testHook(hook);
  }

  init(name: BackendName, wasm: WasmPaths) {
    return this.core.init(name, wasm);
  }
  needsTarget(version: number, width: number, height: number, numClasses: number) {
    return this.core.needsTarget(version, width, height, numClasses);
  }
  compute(req: ComputeRequest, onPartial?: OnPartial) {
    return this.guard(() => this.core.compute(req, yieldToEvents, onPartial));
  }
  supersede(state: number) {
    this.core.supersede(state);
  }
  recycle(buffers: ArrayBuffer[]) {
    if (!this.disposed) this.core.recycle(buffers);
  }
  async drop() {
    this.core.drop();
  }
  async status() {
    return this.core.status();
  }
  loadInverseForm(url: string) {
    return this.core.loadInverseForm(url);
  }
  async probeRenderer() {
    return probeRenderer();
  }
  landscape(req: LandscapeRequest, onProgress?: LandscapeProgress) {
    return this.guard(() => this.core.landscape(req, onProgress, yieldToEvents));
  }
  async cancelLandscape() {
    this.core.cancelLandscape();
  }
  race(req: RaceRequest, onProgress?: LandscapeProgress) {
    return this.guard(() => this.core.race(req, onProgress, yieldToEvents));
  }
  async cancelRace() {
    this.core.cancelRace();
  }
  metrics(req: MetricsRequest) {
    return this.guard(() => this.core.metrics(req));
  }
}

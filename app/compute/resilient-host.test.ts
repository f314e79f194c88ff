import { describe, expect, it } from 'vitest';
import type { ComputeRequest } from './engine-core';
import { type EngineFault, EngineFaultError, WorkerLoadError } from './faults';
import type { EngineHost } from './host';
import { ResilientHost } from './resilient-host';

type Report = (f: EngineFault) => void;

/** A fake engine: remembers the targets it received and lets the test fault it. */
function fakeEngine(thread: 'worker' | 'main thread', report: Report) {
  const calls: string[] = [];
  let target: number | null = null;
  let rejectPending: ((e: Error) => void) | null = null;
  const host = {
    thread,
    calls,
    report,
    /** The next call hangs until the engine is disposed. */
    hangNext: false,
    disposed: null as Error | null,
    dispose(reason: Error) {
      host.disposed = reason;
      rejectPending?.(reason);
    },
    testHook() {},
    async run<T>(name: string, value: T): Promise<T> {
      calls.push(name);
      if (host.hangNext) {
        host.hangNext = false;
        return new Promise<T>((_, reject) => {
          rejectPending = reject;
        });
      }
      return value;
    },
    init: () => host.run('init', { precision: 'float32', variant: null }),
    needsTarget: (v: number) => target !== v,
    compute: (req: ComputeRequest) => {
      if (req.target) target = req.targetVersion;
      if (target !== req.targetVersion) return Promise.reject(new Error('engine: target of this version was not sent'));
      return host.run(`compute:${req.state}`, {
        results: [],
        engineMs: 0,
        numTensors: 0,
        gpuBytes: null,
        backend: 'wasm',
      });
    },
    supersede() {},
    drop: () => host.run('drop', undefined),
    status: () => host.run('status', { backend: 'wasm', numTensors: 0, jitWarmUp: null }),
    probeRenderer: () => host.run('probe', null),
    loadInverseForm: () => host.run('weights', undefined),
    landscape: () => Promise.reject(new Error('unused')),
    cancelLandscape: () => host.run('cancelLandscape', undefined),
    race: () => Promise.reject(new Error('unused')),
    cancelRace: () => host.run('cancelRace', undefined),
  };
  return host;
}

type Fake = ReturnType<typeof fakeEngine>;

function supervised() {
  const engines: Fake[] = [];
  const faults: string[] = [];
  const host = new ResilientHost({
    worker: (report) => {
      const e = fakeEngine('worker', report);
      engines.push(e);
      return e as unknown as EngineHost;
    },
    main: async (report) => {
      const e = fakeEngine('main thread', report);
      engines.push(e);
      return e as unknown as EngineHost;
    },
  });
  host.onFault((f, now) => faults.push(`${f.kind} → ${now.thread}`));
  return { host, engines, faults };
}

const request = (state: number, target: Int32Array | null): ComputeRequest => ({
  width: 2,
  height: 2,
  numClasses: 2,
  targetVersion: 1,
  state,
  target,
  logits: new Float32Array(8),
  requests: [],
});

describe('ResilientHost', () => {
  it('replays the calls of a worker that did not load on the page, and says so', async () => {
    const { host, engines, faults } = supervised();
    const w = engines[0] as Fake;
    w.hangNext = true;
    const init = host.init('wasm', {} as never);
    await Promise.resolve();
    w.report({ kind: 'load-failed', detail: 'script error' });
    await expect(init).resolves.toEqual({ precision: 'float32', variant: null });
    expect(w.disposed).toBeInstanceOf(WorkerLoadError);
    expect(host.thread).toBe('main thread');
    expect((engines[1] as Fake).calls).toEqual(['init']);
    expect(faults).toEqual(['load-failed → main thread']);
  });

  it('restarts a faulted worker; compute waits for a new init and re-sends the target', async () => {
    const { host, engines, faults } = supervised();
    await host.init('wasm', {} as never);
    const target = new Int32Array(4);
    await host.compute(request(1, target));
    const old = engines[0] as Fake;
    old.hangNext = true;
    const hung = host.compute(request(2, null));
    await Promise.resolve();
    old.report({ kind: 'worker-died', detail: 'the worker ended' });
    await expect(hung).rejects.toBeInstanceOf(EngineFaultError);
    expect(faults).toEqual(['worker-died → worker']);
    expect(host.thread).toBe('worker');
    // No backend on the new worker yet: nothing may run on whatever TF.js would pick itself.
    expect(host.needsStart).toBe(true);
    await expect(host.compute(request(3, null))).rejects.toBeInstanceOf(EngineFaultError);
    await host.init('wasm', {} as never);
    expect(host.needsStart).toBe(false);
    // The bridge believes the target was sent (its request carries none): the supervisor re-sends it.
    await expect(host.compute(request(4, null))).resolves.toMatchObject({ backend: 'wasm' });
    expect((engines[1] as Fake).calls).toEqual(['init', 'compute:4']);
    // A fault of an engine already replaced is ignored.
    old.report({ kind: 'context-lost', detail: 'late' });
    expect(faults).toHaveLength(1);
  });

  it('replays an init that was cut off by a fault (a backend switch racing a lost context)', async () => {
    const { host, engines } = supervised();
    const w = engines[0] as Fake;
    w.hangNext = true;
    const init = host.init('wasm', {} as never);
    await Promise.resolve();
    w.report({ kind: 'context-lost', detail: 'webglcontextlost' });
    await expect(init).resolves.toBeTruthy();
    expect((engines[1] as Fake).calls).toEqual(['init']);
    expect(host.needsStart).toBe(false);
  });

  it('starts a call on a ready engine synchronously (a live update is posted before the page re-renders)', async () => {
    const { host, engines } = supervised();
    await host.init('wasm', {} as never);
    const w = engines[0] as Fake;
    const done = host.compute(request(1, new Int32Array(4)));
    expect(w.calls).toEqual(['init', 'compute:1']); // no await in between
    await done;
  });

  it('moves to the page after more than three worker faults within a minute', async () => {
    const { host, engines, faults } = supervised();
    for (let i = 0; i < 4; i++) {
      await host.init('wasm', {} as never);
      (engines[i] as Fake).report({ kind: 'worker-died', detail: 'the worker ended' });
    }
    expect(faults.at(-1)).toBe('worker-died → main thread');
    expect(host.thread).toBe('main thread');
    await host.init('wasm', {} as never);
    expect((engines.at(-1) as Fake).thread).toBe('main thread');
  });
});

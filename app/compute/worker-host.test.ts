import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineFault } from './faults';
import { EngineFaultError } from './faults';
import { WorkerHost } from './worker-host';

/** A stand-in for the compute worker: records what the page posts, replies on demand. */
class FakeWorker {
  posted: { type: string; id: number }[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  postMessage(msg: { type: string; id: number }) {
    this.posted.push(msg);
  }
  terminate() {
    this.terminated = true;
  }
  send(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  error(message: string) {
    this.onerror?.({ message, type: 'error' } as ErrorEvent);
  }
}

function setup() {
  const worker = new FakeWorker();
  const faults: EngineFault[] = [];
  const host = new WorkerHost(worker as unknown as Worker, (f) => faults.push(f), {
    pingEveryMs: 1_000,
    silentAfterMs: 5_000,
  });
  return { worker, faults, host };
}

describe('WorkerHost health', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an error before the hello is a load failure; after it, a crash', () => {
    const a = setup();
    a.worker.error('');
    expect(a.faults.map((f) => f.kind)).toEqual(['load-failed']);
    const b = setup();
    b.worker.send({ id: 0, event: { type: 'hello', lock: null } });
    b.worker.error('Uncaught RangeError: boom');
    expect(b.faults).toEqual([{ kind: 'worker-error', detail: 'Uncaught RangeError: boom' }]);
  });

  it('pings while a call is pending and gives up on a silent worker', async () => {
    const { worker, faults, host } = setup();
    worker.send({ id: 0, event: { type: 'hello', lock: null } });
    const pending = host.status();
    vi.advanceTimersByTime(1_000);
    expect(worker.posted.filter((m) => m.type === 'ping')).toHaveLength(1);
    vi.advanceTimersByTime(3_000);
    worker.send({ id: 0, event: { type: 'pong', contextLost: false } }); // busy, but alive
    vi.advanceTimersByTime(4_000);
    expect(faults).toEqual([]);
    vi.advanceTimersByTime(2_000); // 6 s of silence
    expect(faults.map((f) => f.kind)).toEqual(['unresponsive']);
    host.dispose(new EngineFaultError(faults[0] as EngineFault));
    await expect(pending).rejects.toBeInstanceOf(EngineFaultError);
    expect(worker.terminated).toBe(true);
  });

  it('stops pinging when nothing is pending', async () => {
    const { worker, host } = setup();
    worker.send({ id: 0, event: { type: 'hello', lock: null } });
    const p = host.status();
    worker.send({ id: 1, ok: true, result: { backend: 'wasm', numTensors: 0 } });
    await p;
    vi.advanceTimersByTime(10_000);
    expect(worker.posted.filter((m) => m.type === 'ping').length).toBeLessThanOrEqual(1);
  });

  it('a pong saying the WebGL context is lost is a fault (a read-back would wait forever)', () => {
    const { worker, faults, host } = setup();
    worker.send({ id: 0, event: { type: 'hello', lock: null } });
    void host.status().catch(() => {});
    worker.send({ id: 0, event: { type: 'pong', contextLost: true } });
    expect(faults.map((f) => f.kind)).toEqual(['context-lost']);
  });

  it('a fatal reply (WASM abort) rejects the call and reports the fault; none after dispose', async () => {
    const { worker, faults, host } = setup();
    worker.send({ id: 0, event: { type: 'hello', lock: null } });
    const p = host.status();
    worker.send({ id: 1, ok: false, error: 'Aborted()', fatal: true });
    await expect(p).rejects.toBeInstanceOf(EngineFaultError);
    expect(faults).toEqual([{ kind: 'engine-abort', detail: 'Aborted()' }]);
    host.dispose(new Error('replaced'));
    worker.send({ id: 0, event: { type: 'fault', fault: { kind: 'context-lost', detail: 'x' } } });
    expect(faults).toHaveLength(1);
  });

  it('on a cross-origin isolated page, shares a latest board with the worker first and writes newer states on it', () => {
    vi.stubGlobal('crossOriginIsolated', true);
    try {
      const { worker, host } = setup();
      const first = worker.posted[0] as unknown as { type: string; board: Int32Array };
      expect(first.type).toBe('board');
      host.supersede(4);
      host.supersede(2);
      expect(Atomics.load(first.board, 0)).toBe(4);
      // the message still goes too (it also tells the worker's idle-time warm-up that the page is busy)
      expect(worker.posted.filter((m) => m.type === 'supersede')).toHaveLength(2);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('elsewhere shares no board: the supersede message alone announces newer states', () => {
    const { worker, host } = setup();
    host.supersede(4);
    expect(worker.posted.map((m) => m.type)).toEqual(['supersede']);
  });
});

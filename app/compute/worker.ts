// The compute worker: TF.js and every loss run here, so pointer events on the page never wait for the maths
// (measured on WASM: single losses block for 100–1200 ms at 64²–256², see README).
import { probeRenderer } from '../backend/select';
import { errorMessage } from '../messages';
import { type ComputeReply, EngineCore } from './engine-core';
import { isEngineAbort } from './faults';
import type { WorkerCall } from './host';
import { isSuperseded } from './latest';
import type { WorkerEvent } from './worker-host';

const core = new EngineCore();
const tell = (event: WorkerEvent) => postMessage({ id: 0, event });
core.onFault = (fault) => tell({ type: 'fault', fault });
core.jitWarmUpEnabled = true;

function fail(id: number, e: unknown) {
  // fatal: the engine is broken (WASM abort); the page restarts this worker.
  postMessage({ id, ok: false, error: errorMessage(e), superseded: isSuperseded(e), fatal: isEngineAbort(e) });
}

// Loaded: say hello. The page watches a Web Lock this worker holds for its whole life, so it learns at once when
// the worker ends (self.close(), a crash) instead of waiting for a heartbeat to time out.
const lock = `segloss-compute-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
if (typeof navigator !== 'undefined' && navigator.locks) {
  void navigator.locks
    .request(lock, () => {
      tell({ type: 'hello', lock });
      return new Promise<never>(() => {});
    })
    .catch(() => tell({ type: 'hello', lock: null }));
} else tell({ type: 'hello', lock: null });

self.onmessage = async (ev: MessageEvent<WorkerCall>) => {
  const msg = ev.data;
  try {
    switch (msg.type) {
      case 'init': {
        const r = await core.init(msg.backend, msg.wasm);
        postMessage({ id: msg.id, ok: true, result: r });
        return;
      }
      case 'ping':
        // The heartbeat: also reports a lost WebGL context (a read-back would then wait forever).
        tell({ type: 'pong', contextLost: core.contextLost() });
        return;
      case 'testHook':
        // Sent only by the page's test hooks (?testHooks=1).
        if (msg.hook === 'close') self.close();
        else if (msg.hook === 'crash')
          setTimeout(() => {
            throw new Error('crash simulated by a test hook');
          });
        else core.testHook(msg.hook);
        return;
      case 'recycle':
        // No reply: arrays for the next updates' gradients.
        core.recycle(msg.buffers);
        return;
      case 'board':
        // No reply: the page writes newer states here too (latest.ts), read at every loss boundary.
        core.shareLatestBoard(msg.board);
        return;
      case 'supersede':
        // No reply: the running request notices at its next loss boundary.
        core.supersede(msg.state);
        return;
      case 'compute': {
        const id = msg.id;
        // the gradients of one read-back share its buffer: transfer each buffer once
        const grads = (r: ComputeReply) => [
          ...new Set(r.results.flatMap((x) => (x.grad ? [x.grad.buffer as ArrayBuffer] : []))),
        ];
        const r = await core.compute(msg.request, undefined, (part) =>
          postMessage({ id, partial: part }, { transfer: grads(part) }),
        );
        postMessage({ id, ok: true, result: r }, { transfer: grads(r) });
        return;
      }
      case 'drop':
        core.drop();
        postMessage({ id: msg.id, ok: true, result: null });
        return;
      case 'status':
        postMessage({ id: msg.id, ok: true, result: core.status() });
        return;
      case 'probe':
        postMessage({ id: msg.id, ok: true, result: probeRenderer() });
        return;
      case 'landscape': {
        const id = msg.id;
        const r = await core.landscape(msg.request, (done, total) => postMessage({ id, progress: { done, total } }));
        postMessage({ id, ok: true, result: r });
        return;
      }
      case 'cancelLandscape':
        core.cancelLandscape();
        postMessage({ id: msg.id, ok: true, result: null });
        return;
      case 'race': {
        const id = msg.id;
        const r = await core.race(msg.request, (done, total) => postMessage({ id, progress: { done, total } }));
        postMessage({ id, ok: true, result: r });
        return;
      }
      case 'cancelRace':
        core.cancelRace();
        postMessage({ id: msg.id, ok: true, result: null });
        return;
      case 'metrics':
        postMessage({ id: msg.id, ok: true, result: await core.metrics(msg.request) });
        return;
      case 'loadInverseForm':
        await core.loadInverseForm(msg.url);
        postMessage({ id: msg.id, ok: true, result: null });
        return;
    }
  } catch (e) {
    fail(msg.id, e);
  }
};

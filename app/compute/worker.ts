// The compute worker: TF.js and every loss run here, so pointer events on the page never wait for the maths
// (measured on WASM: single losses block for 100–1200 ms at 64²–256², see README).
import { probeRenderer } from '../backend/select';
import { errorMessage } from '../messages';
import { EngineCore } from './engine-core';
import type { WorkerCall } from './host';
import { isSuperseded } from './latest';

const core = new EngineCore();

function fail(id: number, e: unknown) {
  postMessage({ id, ok: false, error: errorMessage(e), superseded: isSuperseded(e) });
}

self.onmessage = async (ev: MessageEvent<WorkerCall>) => {
  const msg = ev.data;
  try {
    switch (msg.type) {
      case 'init': {
        const r = await core.init(msg.backend, msg.wasm);
        postMessage({ id: msg.id, ok: true, result: r });
        return;
      }
      case 'supersede':
        // No reply: the running request notices at its next loss boundary.
        core.supersede(msg.state);
        return;
      case 'warmUp':
        await core.warmUp(msg.requests, msg.numClasses);
        postMessage({ id: msg.id, ok: true, result: null });
        return;
      case 'compute': {
        const r = await core.compute(msg.request);
        const transfer = r.results.flatMap((x) => (x.grad ? [x.grad.buffer as ArrayBuffer] : []));
        postMessage({ id: msg.id, ok: true, result: r }, { transfer });
        return;
      }
      case 'drop':
        core.drop();
        postMessage({ id: msg.id, ok: true, result: null });
        return;
      case 'status':
        postMessage({ id: msg.id, ok: true, result: { backend: core.backend(), numTensors: core.memory() } });
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
      case 'loadInverseForm':
        await core.loadInverseForm(msg.url);
        postMessage({ id: msg.id, ok: true, result: null });
        return;
    }
  } catch (e) {
    fail(msg.id, e);
  }
};

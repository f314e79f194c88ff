import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, type AppActions } from './App';
import { type BackendName, parseBackendParam, selectBackend, wasmPaths } from './backend/select';
import { startBridge } from './compute/bridge';
import type { ComputeHost } from './compute/host';
import { ComputeHostContext } from './compute/host-context';
import { recoverEngine } from './compute/recover';
import { createHost } from './compute/resilient-host';
import { installTestHooks } from './compute/test-hooks';
import { loadWeights, useWeights } from './compute/weights';
import { exampleMasks } from './editing/example';
import { startMetrics } from './metrics/client';
import { registerServiceWorker } from './offline/register';
import { clearSession, restoreSession, saveNow, startAutosave } from './persist/session';
import { applyRaceUrl } from './race/url';
import { listenForShareLinks, openShareLinkFromHash } from './share/store-link';
import { replaceMasks, useStore } from './store';
import { defaultSettings } from './store/settings';
import './styles.css';
import { errorMessage } from './messages';
import { parseViewMode } from './view/mode';

const restored = restoreSession();
// A share link in the hash (#share=…) replaces the restored state once decoded; a bad one only shows an alert.
const sharedLink = openShareLinkFromHash();
listenForShareLinks();

const search = new URLSearchParams(window.location.search);
applyRaceUrl(window.location.search);
const param = parseBackendParam(window.location.search);
if (param === 'invalid') {
  useStore
    .getState()
    .pushNotice(
      `Unknown ?backend= value '${search.get('backend')}' (use webgl, wasm or cpu); choosing automatically.`,
      'error',
    );
}
const stored = useStore.getState().backendChoice;
const initial: BackendName | null = param && param !== 'invalid' ? param : stored !== 'auto' ? stored : null;
if (param && param !== 'invalid') useStore.getState().setBackendChoice(param);

let host: ComputeHost | null = null;
let bridge: ReturnType<typeof startBridge> | null = null;
/** Backend starts, switches and engine recoveries run one after another, never interleaved. */
let lifecycle: Promise<unknown> = Promise.resolve();
function serially<T>(job: () => Promise<T>): Promise<T> {
  const run = lifecycle.then(job);
  lifecycle = run.catch(() => {});
  return run;
}

async function start(choice: BackendName | null): Promise<boolean> {
  if (!host) return false;
  const h = host;
  useStore.getState().backendStarting();
  try {
    const renderer = await h.probeRenderer();
    const info = await selectBackend(
      choice,
      async (name) => ({ ...(await h.init(name, wasmPaths())), thread: h.thread }),
      renderer,
    );
    useStore.getState().backendReady(info);
    // Not awaited: the serial chain (switches, recoveries) waits for the backend, not for every value.
    void bridge?.recompute();
    return true;
  } catch (e) {
    useStore.getState().backendFailed(`Backend error: ${errorMessage(e)}`);
    return false;
  }
}

const actions: AppActions = {
  switchBackend(choice) {
    const previous = useStore.getState().backend?.name ?? null;
    useStore.getState().setBackendChoice(choice);
    const url = new URL(window.location.href);
    if (choice === 'auto') url.searchParams.delete('backend');
    else url.searchParams.set('backend', choice);
    window.history.replaceState(null, '', url);
    void serially(async () => {
      await bridge?.dropTensors();
      const ok = await start(choice === 'auto' ? null : choice);
      if (!ok && previous) {
        const failure = useStore.getState().backendError;
        await start(previous);
        useStore.getState().setBackendError(`${failure} — switched back to ${previous}.`);
      }
    });
  },
  setGridSize(size) {
    useStore.getState().setGridSize(size);
  },
  reset() {
    clearSession();
    replaceMasks(exampleMasks(defaultSettings().gridSize), 'Built-in example');
    useStore.getState().resetSettings();
    saveNow();
  },
};

const root = createRoot(document.getElementById('root') as HTMLElement);
/** Renders the app with the compute host it may use (null until the host exists). */
function render(h: ComputeHost | null) {
  root.render(
    <StrictMode>
      <ComputeHostContext.Provider value={h}>
        <App actions={actions} />
      </ComputeHostContext.Provider>
    </StrictMode>,
  );
}
render(null);

let markReady: () => void = () => {};
/** Resolves once the backend is up, the optional weights were tried and the first results are in. */
const ready = new Promise<void>((resolve) => {
  markReady = resolve;
});
registerServiceWorker(ready);

void (async () => {
  const h = createHost(search.get('compute') === 'main');
  host = h;
  if (h.note) useStore.getState().pushNotice(h.note, 'error');
  bridge = startBridge(h);
  const metrics = startMetrics(h);
  render(h);
  const b = bridge;
  // Test and console hook (read-only use by the browser tests).
  Object.assign(window, {
    __segloss: {
      store: useStore,
      weights: useWeights,
      flush: () => b.flush(),
      flushMetrics: () => metrics.flush(),
      status: () => h.status(),
      thread: h.thread,
      restored,
      ready,
    },
  });
  installTestHooks(h, window.location.search);
  // InverseForm needs pretrained weights: loaded where the maths runs once the backend is up (again after a restart).
  const weights = () =>
    loadWeights(
      h,
      (ids) => b.recompute(ids),
      (text) => useStore.getState().pushNotice(text, 'info'),
    );
  // A faulted engine (lost WebGL context, dead worker, WASM abort …) was replaced: start it again and recompute.
  h.onFault((fault, now) => {
    void serially(() => recoverEngine(fault, now, { start, needsStart: () => h.needsStart, reloadWeights: weights }));
  });
  await sharedLink;
  await serially(() => start(initial));
  // An embedded panel (?embed=…) shows the state its link carries; it must not overwrite the visitor's own
  // saved session on this origin.
  if (!parseViewMode(window.location.search).kind.startsWith('embed')) startAutosave();
  // Not in the serial chain: a stalled weights request must never hold up a backend switch or a recovery.
  await weights();
  markReady();
})();

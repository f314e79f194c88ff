import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, type AppActions } from './App';
import { type BackendName, parseBackendParam, selectBackend, wasmPaths } from './backend/select';
import { startBridge } from './compute/bridge';
import { type ComputeHost, createHost } from './compute/host';
import { ComputeHostContext } from './compute/host-context';
import { exampleMasks } from './editing/example';
import { registerServiceWorker } from './offline/register';
import { clearSession, restoreSession, saveNow, startAutosave } from './persist/session';
import { applyRaceUrl } from './race/url';
import { listenForShareLinks, openShareLinkFromHash } from './share/store-link';
import { replaceMasks, useStore } from './store';
import { defaultSettings } from './store/settings';
import './styles.css';
import { errorMessage } from './messages';
import { parseViewMode } from './view/mode';

registerServiceWorker();
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
    await bridge?.recompute();
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
    void (async () => {
      await bridge?.dropTensors();
      const ok = await start(choice === 'auto' ? null : choice);
      if (!ok && previous) {
        const failure = useStore.getState().backendError;
        await start(previous);
        useStore.getState().setBackendError(`${failure} — switched back to ${previous}.`);
      }
    })();
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

void (async () => {
  const created = await createHost(search.get('compute') === 'main');
  host = created.host;
  if (created.note) useStore.getState().pushNotice(created.note, 'error');
  bridge = startBridge(host);
  render(host);
  const h = host;
  const b = bridge;
  // Test and console hook (read-only use by the browser tests).
  Object.assign(window, {
    __segloss: { store: useStore, flush: () => b.flush(), status: () => h.status(), thread: h.thread, restored, ready },
  });
  await sharedLink;
  await start(initial);
  // An embedded panel (?embed=…) shows the state its link carries; it must not overwrite the visitor's own
  // saved session on this origin.
  if (!parseViewMode(window.location.search).kind.startsWith('embed')) startAutosave();
  // InverseForm needs pretrained weights: load them once the backend is up (where the maths runs).
  try {
    await h.loadInverseForm(new URL('models/inverseform/model.json', document.baseURI).href);
  } catch (e) {
    useStore.getState().pushNotice(`InverseForm weights did not load: ${errorMessage(e)}`, 'info');
  }
  await b.recompute(['inverseform']);
  markReady();
})();

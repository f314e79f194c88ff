import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import * as library from '../src/index';
import { tf } from '../src/tf';
import { App, type AppActions } from './App';
import { type BackendName, parseBackendParam, selectBackend } from './backend/select';
import { startBridge } from './compute/bridge';
import { exampleMasks } from './editing/example';
import { clearSession, restoreSession, saveNow, startAutosave } from './persist/session';
import { replaceMasks, useStore } from './store';
import { defaultSettings } from './store/settings';
import './styles.css';

const restored = restoreSession();

const param = parseBackendParam(window.location.search);
if (param === 'invalid') {
  useStore
    .getState()
    .pushNotice(
      `Unknown ?backend= value '${new URLSearchParams(window.location.search).get('backend')}' (use webgl, wasm or cpu); choosing automatically.`,
      'error',
    );
}
const stored = useStore.getState().backendChoice;
const initial: BackendName | null = param && param !== 'invalid' ? param : stored !== 'auto' ? stored : null;
if (param && param !== 'invalid') useStore.setState({ backendChoice: param });

const bridge = startBridge();

async function start(choice: BackendName | null): Promise<boolean> {
  useStore.setState({ backendStatus: 'starting', backendError: null });
  try {
    const info = await selectBackend(choice);
    useStore.setState({ backend: info, backendStatus: 'ready' });
    await bridge.flush();
    return true;
  } catch (e) {
    useStore.setState({
      backend: null,
      backendStatus: 'failed',
      backendError: `Backend error: ${e instanceof Error ? e.message : String(e)}`,
    });
    return false;
  }
}

const actions: AppActions = {
  switchBackend(choice) {
    const previous = useStore.getState().backend?.name ?? null;
    useStore.setState({ backendChoice: choice });
    const url = new URL(window.location.href);
    if (choice === 'auto') url.searchParams.delete('backend');
    else url.searchParams.set('backend', choice);
    window.history.replaceState(null, '', url);
    bridge.dropTensors();
    void start(choice === 'auto' ? null : choice).then(async (ok) => {
      if (!ok && previous) {
        const failure = useStore.getState().backendError;
        await start(previous);
        useStore.setState({ backendError: `${failure} — switched back to ${previous}.` });
      }
    });
  },
  setGridSize(size) {
    useStore.getState().setGridSize(size);
  },
  reset() {
    clearSession();
    const d = defaultSettings();
    replaceMasks(exampleMasks(d.gridSize), 'Built-in example');
    useStore.setState({ ...d, backendChoice: useStore.getState().backendChoice, notices: [] });
    saveNow();
  },
};

// Test and console hook: the store, the bridge and TF.js (read-only use by e2e tests).
Object.assign(window, { __segloss: { store: useStore, flush: () => bridge.flush(), tf, restored } });

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App actions={actions} />
  </StrictMode>,
);

void (async () => {
  await start(initial);
  startAutosave();
  // Losses with pretrained weights (InverseForm) load them once the backend is up, when the library offers a loader.
  const loader = (library as Record<string, unknown>).loadInverseForm;
  if (typeof loader === 'function') {
    try {
      await (loader as () => Promise<unknown>)();
      await bridge.flush();
    } catch (e) {
      useStore
        .getState()
        .pushNotice(`InverseForm weights did not load: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  }
})();

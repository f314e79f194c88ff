// What the page does after the engine faulted (resilient-host.ts has already replaced it): say what happened,
// start the same backend on the new engine (WASM, saying so, when that fails), reload the weights and
// recompute. The masks, undo history and settings live in the page's store and are never touched.
import type { BackendName } from '../backend/select';
import { useStore } from '../store';
import { describeFault, type EngineFault } from './faults';
import { useWeights } from './weights';

export interface RecoveryDeps {
  /** Starts a backend on the new engine and recomputes everything (main.tsx's start). */
  start(choice: BackendName | null): Promise<boolean>;
  /** Whether the engine still lacks an initialised backend (a backend switch may have started it meanwhile). */
  needsStart(): boolean;
  /** Loads the pretrained weights into the new engine and recomputes the losses that need them (not awaited). */
  reloadWeights(): Promise<void>;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export async function recoverEngine(
  fault: EngineFault,
  now: { thread: 'worker' | 'main thread' },
  deps: RecoveryDeps,
): Promise<void> {
  const { pushNotice } = useStore.getState();
  if (fault.kind === 'load-failed') {
    // The calls in flight were replayed on the page's own thread: nothing else to redo.
    pushNotice(
      `${capital(describeFault(fault))}; computing on the page instead (the page may pause briefly during updates).`,
      'error',
    );
    return;
  }
  const s = useStore.getState();
  const was: BackendName | null = s.backend?.name ?? (s.backendChoice !== 'auto' ? s.backendChoice : null);
  // The new engine has no weights yet: say "loading weights…", not its "not loaded" error.
  useWeights.setState({ state: 'loading', message: null });
  const where = now.thread === 'main thread' ? ' on the page' : '';
  pushNotice(
    `${capital(describeFault(fault))}: restarting the compute engine${where}${was ? ` on ${was}` : ''} and recomputing every value (masks, undo history and settings are kept).`,
    'error',
  );
  if (deps.needsStart()) {
    let ok = await deps.start(was);
    if (!ok && was !== 'wasm') {
      const failure = useStore.getState().backendError ?? `${was ?? 'the backend'} did not start`;
      ok = await deps.start('wasm');
      if (ok)
        pushNotice(
          `${failure}: ${was ?? 'the first backend'} could not be restarted, computing on wasm instead.`,
          'error',
        );
    }
    if (!ok) return;
  }
  // Not awaited: a stalled weights request must not hold up the next backend switch or recovery (a load cut off
  // by another fault ends quietly; that fault's recovery loads them again).
  void deps.reloadWeights();
}

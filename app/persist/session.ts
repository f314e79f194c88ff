// Saves the session (masks, settings, focused loss, editor tool settings) to localStorage, debounced, and restores it on start.
import { isLossId } from '../../src';
import { squareGridSize } from '../editing/grid';
import { errorMessage } from '../messages';
import { pickSettings, settingsChanged } from '../settings/fields';
import { replaceMasks, useStore } from '../store';
import type { ToolSettings } from '../store/tools';
import { CURRENT_VERSION, decode, encode, migrate, type Session, SessionError, STORAGE_KEY } from './schema';

const SAVE_DELAY_MS = 400;

function settingsOf(): Session['settings'] {
  return pickSettings(useStore.getState());
}

function toolsOf(): ToolSettings {
  const s = useStore.getState();
  return { tool: s.tool, brushSize: s.brushSize, predBrush: s.predBrush, penPressure: s.penPressure };
}

let saveFailedShown = false;

/** The session as a JSON text (what is saved; also what "Export session" downloads when saving fails). */
export function sessionJson(): string {
  return JSON.stringify(encode(useStore.getState(), settingsOf(), toolsOf()));
}

export function saveNow(): void {
  const s = useStore.getState();
  try {
    localStorage.setItem(STORAGE_KEY, sessionJson());
    saveFailedShown = false;
    if (s.saveFailure) s.setSaveFailure(null);
  } catch (e) {
    // The marker (app/components/SaveStatus.tsx) stays while saves fail, however often; the notice is shown once
    // per failure streak (e.g. storage full at 256² × 8 classes), not on every edit.
    s.setSaveFailure(errorMessage(e));
    if (saveFailedShown) return;
    saveFailedShown = true;
    s.pushNotice(
      `Could not save the session (${errorMessage(e)}); edits from now on will not survive a reload. Export the session to keep them.`,
      'error',
    );
  }
}

/**
 * Restores a saved session if there is one. Returns true when restored. Corrupt or unknown-version data leaves
 * the example in place and shows a notice; it never throws.
 */
export function restoreSession(): boolean {
  let text: string | null = null;
  try {
    text = localStorage.getItem(STORAGE_KEY);
  } catch {
    return false;
  }
  if (text === null) return false;
  try {
    const { masks, settings, tools } = decode(migrate(JSON.parse(text)));
    replaceMasks(masks, 'Restored session');
    const enabled = Object.fromEntries(Object.entries(settings.enabled).filter(([id]) => isLossId(id)));
    const params = Object.fromEntries(Object.entries(settings.params).filter(([id]) => isLossId(id)));
    useStore.getState().applySettings(
      {
        ...settings,
        enabled: { ...useStore.getState().enabled, ...enabled },
        params,
        gridSize: squareGridSize(masks.width, masks.height) ?? settings.gridSize,
        heatmapClass: Math.max(0, Math.min(masks.numClasses - 1, settings.heatmapClass | 0)),
      },
      tools,
    );
    return true;
  } catch (e) {
    const why = e instanceof SessionError || e instanceof SyntaxError ? e.message : String(e);
    useStore
      .getState()
      .pushNotice(
        `The saved session could not be restored (${why}); the built-in example is shown instead. Saving will overwrite it (schema version ${CURRENT_VERSION}).`,
        'error',
      );
    return false;
  }
}

/** Saves (debounced) whenever masks or settings change. Returns the unsubscribe function. */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  // A save waiting for an idle moment: leaving the page (reload, close) must not drop it.
  let idle: number | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
    if (timer || idle !== null) saveNow();
    timer = null;
    idle = null;
  };
  const unsub = useStore.subscribe((s, prev) => {
    const changed =
      s.target !== prev.target ||
      s.logits !== prev.logits ||
      settingsChanged(s, prev) ||
      s.tool !== prev.tool ||
      s.brushSize !== prev.brushSize ||
      s.predBrush !== prev.predBrush ||
      s.penPressure !== prev.penPressure;
    if (!changed) return;
    if (timer) clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
    idle = null;
    timer = setTimeout(() => {
      timer = null;
      // Encoding 256² masks costs tens of ms: do it when the page is idle (at the latest after 2 s).
      if (typeof requestIdleCallback === 'function')
        idle = requestIdleCallback(
          () => {
            idle = null;
            saveNow();
          },
          { timeout: 2000 },
        );
      else saveNow();
    }, SAVE_DELAY_MS);
  });
  window.addEventListener('pagehide', flush);
  return () => {
    unsub();
    if (timer) clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
    window.removeEventListener('pagehide', flush);
  };
}

export function clearSession(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage unavailable: nothing to clear */
  }
}

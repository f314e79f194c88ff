// Loading a lesson step into the explorer: the preset's masks, the derivation (with its settings), the losses
// that run, their parameters, the focused loss. Everything the step does not name goes back to the defaults, so
// a step looks the same whichever step came before. Works on the app store (also in Node, for the unit tests).
import { IMPLEMENTED_LOSSES, type LossId, type Params } from '../../src';
import type { LoadedPreset } from '../io/presets';
import { useStore } from '../store';
import { defaultSettings } from '../store/settings';
import type { LessonState } from './schema';

/** Default derivation settings (those of a fresh session), so a step's `derive` is a complete description. */
export const DEFAULT_DERIVE = {
  confidence: 0.9,
  dx: 4,
  dy: 2,
  sigma: 2,
  temperature: 2,
  morphRadius: 2,
  noiseSigma: 1,
  noiseSeed: 1,
};

/** Applies a step's state; `preset` is the loaded preset the state names (or null when it names none). */
export function applyStepState(state: LessonState | undefined, preset: LoadedPreset | null): void {
  const st = state ?? {};
  const s = useStore.getState();
  if (preset) s.loadMasks(preset.masks, { source: `Lesson: ${preset.name}`, classNames: preset.classNames ?? null });
  if (st.grid) useStore.getState().setGridSize(st.grid);
  useStore.getState().setDerive({ ...DEFAULT_DERIVE, ...(st.derive ?? {}) });
  if (st.prediction) useStore.getState().derivePrediction(st.prediction);
  const d = defaultSettings();
  const implemented = IMPLEMENTED_LOSSES.map((x) => x.id);
  const enabled = st.enabled
    ? Object.fromEntries(implemented.map((id) => [id, st.enabled?.includes(id) ?? false]))
    : d.enabled;
  const numClasses = useStore.getState().numClasses;
  useStore.getState().applySettings({
    enabled,
    params: (st.params ?? {}) as Partial<Record<LossId, Params>>,
    focusedLoss: st.focus ?? st.enabled?.[0] ?? d.focusedLoss,
    heatmapClass: Math.min(st.heatmapClass ?? 1, numClasses - 1),
    multiples: st.multiples ?? st.enabled?.slice(0, 4) ?? d.multiples,
  });
}

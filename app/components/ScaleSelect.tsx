// The colour-scale picker shared by the gradient small multiples and the race's change maps: one setting
// (app/render/scale-state.ts) for both, so the two views always agree.
import { SCALE_MODES, useHeatmapScale } from '../render/scale-state';
import type { HeatmapScaleMode } from '../render/shared-scale';

export function ScaleSelect({ testId }: { testId: string }) {
  const scale = useHeatmapScale((s) => s.mode);
  const setScale = useHeatmapScale((s) => s.setMode);
  return (
    <label>
      colour scale{' '}
      <select value={scale} onChange={(e) => setScale(e.target.value as HeatmapScaleMode)} data-testid={testId}>
        {(Object.keys(SCALE_MODES) as HeatmapScaleMode[]).map((m) => (
          <option key={m} value={m}>
            {SCALE_MODES[m].label}
          </option>
        ))}
      </select>
    </label>
  );
}

import { memo, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getLoss, type LossId } from '../../src';
import { formatNumber } from '../format-number';
import { gradientThumb } from '../render/heatmap';
import { SCALE_MODES, useHeatmapScale } from '../render/scale-state';
import { heatmapScales } from '../render/shared-scale';
import { useStore } from '../store';
import { GradientCanvas, type GradientMapData, useStale } from './GradientCanvas';
import { ScaleSelect } from './ScaleSelect';
import { useHeld } from './useHeld';
import { useLossError } from './useLossError';
import { useOffScreen } from './useOffScreen';

/** Longest side of a small multiple (larger grids are shrunk, keeping each block's largest |g|). */
const SIDE = 160;

/**
 * Memoised: a result landing re-renders the figures whose map or scale changed, not all of them. `behind`: the
 * map is held from an earlier result while the panel is out of view (useMaps); it shows stale like an old result.
 */
const Multiple = memo(function Multiple({
  id,
  map,
  limit,
  behind,
}: {
  id: LossId;
  map: GradientMapData | null;
  limit: number;
  behind: boolean;
}) {
  const def = getLoss(id);
  const focus = useStore((s) => s.setFocusedLoss);
  const error = useLossError(id)?.text;
  const stale = useStale(id) || behind;
  // A new object only when the map or its scale changes: the canvas repaints on every new map.
  const scaled = useMemo(() => (map ? { ...map, max: limit } : null), [map, limit]);
  return (
    <figure className="multiple" data-testid="multiple" data-loss-id={id} data-scale-max={map ? limit : undefined}>
      {scaled ? (
        <GradientCanvas
          map={scaled}
          className="heatmap-small"
          label={`gradient of ${def.name}`}
          lossId={id}
          testId="multiple-heatmap"
          stale={stale}
        />
      ) : (
        <div className="heatmap-small placeholder">
          {error ?? (def.status === 'coming' ? 'coming' : behind ? 'updating…' : 'off')}
        </div>
      )}
      <figcaption>
        <button type="button" className="link" onClick={() => focus(id)}>
          {def.name}
        </button>
        <span className="scale" title={map ? `largest |g| of this map: ${map.max}` : undefined}>
          ±{formatNumber(map ? limit : null, 2)}
          {stale && map ? ' · updating…' : ''}
        </span>
      </figcaption>
    </figure>
  );
});

/**
 * The shown maps of the chosen losses (current mode and class), each shrunk to at most SIDE px. While `hold` is
 * true (the panel is out of view) the maps stay as they were and nothing is computed; `behind[i]` says whether the
 * i-th no longer matches the store. A change of the chosen losses is never held.
 */
function useMaps(ids: LossId[], hold: boolean): { maps: (GradientMapData | null)[]; behind: boolean[] } {
  // The chosen losses' results only: another loss's result landing does not re-render the panel.
  const live = {
    ids,
    rs: useStore(useShallow((s) => ids.map((id) => s.results[id]))),
    mode: useStore((s) => s.heatmapMode),
    channel: useStore((s) => s.heatmapClass),
  };
  const { kept } = useHeld(live, hold, (k) => k.ids !== ids);
  const { rs, mode, channel } = kept;
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed only when one of the shown results changes
  const maps = useMemo(
    () =>
      rs.map((r) => {
        const shape = r?.state;
        if (!r?.grad || !shape || r.grad.length !== shape.width * shape.height * shape.numClasses) return null;
        const c = Math.min(channel, shape.numClasses - 1);
        const t = gradientThumb(
          r.grad,
          shape.probabilities,
          shape.numClasses,
          c,
          mode,
          shape.width,
          shape.height,
          SIDE,
        );
        return { values: t.values, max: t.max, width: t.width, height: t.height, channel: c, mode };
      }),
    [...rs, mode, channel],
  );
  const behind = rs.map((r, i) => r !== live.rs[i] || mode !== live.mode || channel !== live.channel);
  return { maps, behind };
}

/** Gradient maps of the chosen losses side by side, on their own or one shared colour scale (selectable). */
export function SmallMultiples() {
  const ids = useStore((s) => s.multiples);
  const scale = useHeatmapScale((s) => s.mode);
  const panel = useRef<HTMLElement>(null);
  const { maps, behind } = useMaps(ids, useOffScreen(panel));
  const limits = useMemo(() => {
    const shown = maps.filter((m): m is GradientMapData => m !== null);
    const l = heatmapScales(
      shown.map((m) => m.values),
      scale,
    );
    let k = 0;
    return maps.map((m) => (m ? l[k++]! : 0));
  }, [maps, scale]);
  return (
    <section ref={panel} className="panel" aria-labelledby="multiples-title">
      <h2 id="multiples-title">Compare gradients</h2>
      {ids.length === 0 ? (
        <p className="placeholder">Tick “compare” in the table to add losses here.</p>
      ) : (
        <>
          <div className="controls">
            <ScaleSelect testId="multiples-scale" />
          </div>
          <p className="note" data-testid="multiples-scale-legend" data-scale={scale}>
            Colour scale: {SCALE_MODES[scale].legend}
            {scale !== 'own' && limits.some((l) => l > 0) ? ` (±${formatNumber(Math.max(...limits), 3)})` : ''}.
          </p>
          <div className="multiples">
            {ids.map((id, i) => (
              <Multiple key={id} id={id} map={maps[i] ?? null} limit={limits[i] ?? 0} behind={behind[i] ?? false} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

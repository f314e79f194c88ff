import { useEffect, useMemo, useRef } from 'react';
import type { LossId } from '../../src';
import { drawMap, gradientChannel, gradientThumb, maxAbs } from '../render/heatmap';
import { useStore } from '../store';
import { useHeld } from './useHeld';

/**
 * The selected gradient channel of a loss, in the current mode, with its symmetric scale; `maxSide` shrinks it
 * for thumbnails (less painting per update).
 */
export function useGradientMap(id: LossId, maxSide?: number) {
  return useHeldGradientMap(id, maxSide, false).map;
}

/**
 * useGradientMap, except that while `hold` is true the map stays the one computed before (nothing is computed),
 * and `behind` says whether it is no longer the map of the loss's result, mode and class in the store.
 */
export function useHeldGradientMap(id: LossId, maxSide: number | undefined, hold: boolean) {
  const live = {
    grad: useStore((s) => s.results[id]?.grad ?? null),
    // The probabilities and shape of the state this gradient belongs to (another loss's may be newer).
    shape: useStore((s) => s.results[id]?.state ?? null),
    mode: useStore((s) => s.heatmapMode),
    channel: useStore((s) => s.heatmapClass),
  };
  const { kept, behind } = useHeld(live, hold);
  const { grad, shape, mode, channel } = kept;
  const probs = shape?.probabilities ?? null;
  const map = useMemo(() => {
    if (!grad || !shape || grad.length !== shape.width * shape.height * shape.numClasses) return null;
    const c = Math.min(channel, shape.numClasses - 1);
    if (maxSide) {
      const t = gradientThumb(grad, probs, shape.numClasses, c, mode, shape.width, shape.height, maxSide);
      return { values: t.values, max: t.max, width: t.width, height: t.height, channel: c, mode };
    }
    const values = gradientChannel(grad, probs, shape.numClasses, c, mode);
    return { values, max: maxAbs(values), width: shape.width, height: shape.height, channel: c, mode };
  }, [grad, probs, shape, mode, channel, maxSide]);
  return { map, behind };
}

/** True while the result shown for `id` belongs to an older state than the one in the store. */
export function useStale(id: LossId): boolean {
  return useStore((s) => {
    const r = s.results[id];
    return !!r && r.version !== s.stateVersion;
  });
}

export type GradientMapData = NonNullable<ReturnType<typeof useGradientMap>>;

/** A canvas showing a gradient map; CSS decides the displayed size. */
export function GradientCanvas({
  map,
  className,
  label,
  testId,
  lossId,
  stale = false,
  onPointerMove,
  onPointerLeave,
}: {
  map: GradientMapData;
  /** The map belongs to an older state: dimmed, `data-stale="true"`. */
  stale?: boolean;
  className?: string;
  label: string;
  testId?: string;
  lossId: LossId;
  onPointerMove?: (e: React.PointerEvent<HTMLCanvasElement>) => void;
  onPointerLeave?: () => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawMap(ref.current, map.values, map.width, map.height, map.max);
  }, [map]);
  return (
    <canvas
      ref={ref}
      className={stale ? `${className ?? ''} stale` : className}
      role="img"
      aria-label={stale ? `${label} (updating…)` : label}
      data-stale={stale ? 'true' : undefined}
      data-testid={testId}
      data-loss-id={lossId}
      data-max={map.max}
      onPointerMove={onPointerMove}
      onPointerLeave={onPointerLeave}
    />
  );
}

import { sparklinePoints } from '../../view/history';

/** A small line of recent values (no axes: the number beside it is the reading); `data-last` is the newest. */
export function Sparkline({
  values,
  width = 64,
  height = 16,
}: {
  values: readonly number[];
  width?: number;
  height?: number;
}) {
  return (
    <svg
      className="sparkline"
      viewBox={`-1 -1 ${width + 2} ${height + 2}`}
      aria-hidden="true"
      data-last={values.length > 0 ? String(values[values.length - 1]) : undefined}
    >
      {values.length > 0 && <polyline points={sparklinePoints(values, width, height)} />}
    </svg>
  );
}

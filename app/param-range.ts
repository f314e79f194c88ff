// Which numeric parameter values the explorer accepts. Normally a number must lie in the spec's min..max (the
// slider's range). With ?advanced=1 in the URL it may go up to hardMin/hardMax, the bounds the loss really takes
// (src/params.ts checks those); a spec without them keeps min..max, so advanced mode never passes the library a
// value it would reject. NaN and ±∞ are refused in both modes.
import type { NumberParam } from '../src';

/** True when the page was opened with ?advanced=1 (or true/yes/on). */
export function isAdvancedMode(search: string): boolean {
  const v = new URLSearchParams(search).get('advanced');
  return v !== null && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

/** The advanced flag of the current page (false outside a browser). */
export function advancedFromLocation(): boolean {
  return typeof window !== 'undefined' && isAdvancedMode(window.location.search);
}

/** The interval a value must lie in, in this mode. */
export function acceptedRange(spec: NumberParam, advanced: boolean): { min: number; max: number } {
  if (!advanced) return { min: spec.min, max: spec.max };
  return { min: spec.hardMin ?? spec.min, max: spec.hardMax ?? spec.max };
}

/** True when advanced mode accepts more than min..max for this parameter. */
export function isWidened(spec: NumberParam): boolean {
  const r = acceptedRange(spec, true);
  return r.min < spec.min || r.max > spec.max;
}

function bound(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return '−∞';
  return String(x);
}

/** "[0, 5]", or "[0, ∞)" for an open end. */
export function formatRange(r: { min: number; max: number }): string {
  const lo = Number.isFinite(r.min) ? `[${bound(r.min)}` : `(${bound(r.min)}`;
  const hi = Number.isFinite(r.max) ? `${bound(r.max)}]` : `${bound(r.max)})`;
  return `${lo}, ${hi}`;
}

/**
 * Why the explorer refuses `v` for this parameter in this mode, or null when the range allows it (null values and
 * the integer rule are left to resolveParams). The message says what advanced mode would allow when it would help.
 */
export function rangeError(spec: NumberParam, v: number | null, advanced: boolean): string | null {
  if (v === null) return null;
  if (!Number.isFinite(v)) return `must be a finite number, got ${v}`;
  const r = acceptedRange(spec, advanced);
  if (v >= r.min && v <= r.max) return null;
  const wide = acceptedRange(spec, true);
  const hint =
    !advanced && v >= wide.min && v <= wide.max
      ? ` (open the page with ?advanced=1 to allow ${formatRange(wide)})`
      : '';
  return `must lie in ${formatRange(r)}, got ${v}${hint}`;
}

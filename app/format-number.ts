// How the explorer writes a number on screen (values, ticks, read-outs): `digits` significant digits, exponent
// notation outside 1e-3 … 1e4, '—' for a missing value.
export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(digits - 1);
  return v.toPrecision(digits);
}

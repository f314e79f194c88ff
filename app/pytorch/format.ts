// Python literals for parameter values in the PyTorch snippets.
import type { ParamValue } from '../../src';

export function py(v: ParamValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const s = String(v);
    return s.includes('e') ? s.replace('e-', 'e-').replace('e+', 'e') : s;
  }
  if (Array.isArray(v)) return `[${(v as ParamValue[]).map((x) => py(x)).join(', ')}]`;
  return JSON.stringify(v);
}

import type { ParamSchema, ParamSpec, Params, ParamValue } from './types';

/** Thrown for a parameter value a loss cannot use; the message names the loss, parameter and value. */
export class ParamError extends Error {
  constructor(
    readonly lossId: string,
    readonly param: string,
    message: string,
  ) {
    super(`${lossId}: parameter '${param}' ${message}`);
    this.name = 'ParamError';
  }
}

/** A parameter value as a message shows it: lists as [a, b], NaN as NaN (JSON would print null), text quoted. */
export function formatParamValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(formatParamValue).join(', ')}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

export function defaultParams(schema: ParamSchema): Params {
  const out: Params = {};
  for (const [name, spec] of Object.entries(schema)) out[name] = structuredClone(spec.default) as ParamValue;
  return out;
}

function checkValue(lossId: string, name: string, spec: ParamSpec, v: ParamValue, numClasses?: number): void {
  const fail = (msg: string): never => {
    throw new ParamError(lossId, name, msg);
  };
  const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  switch (spec.kind) {
    case 'number':
      if (v === null) {
        if (spec.nullMeaning === undefined) fail('must be a number, got null');
        return;
      }
      if (!isNum(v)) fail(`must be a finite number, got ${formatParamValue(v)}`);
      {
        // hardMin/hardMax, when a spec has them, are the real limits; min..max is then only the UI's range.
        const lo = spec.hardMin ?? spec.min;
        const hi = spec.hardMax ?? spec.max;
        if ((v as number) < lo || (v as number) > hi) fail(`must lie in [${lo}, ${hi}], got ${v}`);
      }
      if (spec.integer && !Number.isInteger(v)) fail(`must be an integer, got ${v}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') fail(`must be true or false, got ${formatParamValue(v)}`);
      return;
    case 'enum':
      if (!spec.options.some((o) => o.value === v)) {
        fail(`must be one of ${spec.options.map((o) => `'${o.value}'`).join(', ')}, got ${formatParamValue(v)}`);
      }
      return;
    case 'vector':
      if (v === null) return;
      if (!Array.isArray(v) || !(v as unknown[]).every(isNum)) {
        fail(`must be a list of finite numbers or null, got ${formatParamValue(v)}`);
      }
      if (spec.integer && !(v as number[]).every(Number.isInteger))
        fail(`must hold integers, got ${formatParamValue(v)}`);
      if (spec.length === 'classes' && numClasses !== undefined && (v as number[]).length !== numClasses) {
        fail(`needs one entry per class (${numClasses}), got ${(v as number[]).length}: ${formatParamValue(v)}`);
      }
      return;
    case 'matrix':
      if (v === null) return;
      if (!Array.isArray(v) || !(v as unknown[]).every((r) => Array.isArray(r) && (r as unknown[]).every(isNum))) {
        fail(`must be a matrix of finite numbers or null, got ${formatParamValue(v)}`);
      }
      if (numClasses !== undefined) {
        const m = v as number[][];
        if (m.length !== numClasses || m.some((r) => r.length !== numClasses)) {
          fail(`must be ${numClasses}×${numClasses}, got ${formatParamValue(v)}`);
        }
      }
      return;
  }
}

/**
 * Merges `given` over the schema defaults and validates every value. Unknown names and bad values throw a
 * ParamError (never a silent NaN downstream). `numClasses`, when known, checks per-class vectors.
 */
export function resolveParams(lossId: string, schema: ParamSchema, given: Params = {}, numClasses?: number): Params {
  const out = defaultParams(schema);
  for (const [name, v] of Object.entries(given)) {
    if (!(name in schema)) {
      throw new ParamError(lossId, name, `is not a parameter of this loss (known: ${Object.keys(schema).join(', ')})`);
    }
    out[name] = v;
  }
  for (const [name, spec] of Object.entries(schema))
    checkValue(lossId, name, spec, out[name] as ParamValue, numClasses);
  return out;
}

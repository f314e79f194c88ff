/**
 * The golden checker's core, shared by the Node CLI (cpu, wasm) and the browser page (webgl): runs each case
 * through the registry on the current TF.js backend and compares value and gradient with the reference.
 *
 * Tolerance (SPEC.md §1.3): |a − v| ≤ max(r·max(|v|, 1e-3), 4·dev.value) and
 * max|ga − g| ≤ max(r·max|g|, 4·dev.grad), with r = 1e-4 on cpu/wasm and 1e-3 on webgl.
 * A case whose reference value is null (valueStatus 'nan' | 'none') passes when our value and gradient are
 * finite: the loss defines a documented value where the reference has a hole.
 */
import { lossAndGrad } from '../compute';
import { GroundTruthContext } from '../engine/gt-context';
import { getLoss, isImplemented, isLossId } from '../registry';
import { tf } from '../tf';
import type { GoldenCase, GoldenFile } from './format';

export interface CaseResult {
  loss: string;
  caseId: string;
  passed: boolean;
  value: number | null;
  expected: number | null;
  valueError: number | null;
  gradError: number | null;
  valueTol: number | null;
  gradTol: number | null;
  reason?: string;
  /** Wall time of the case (tensor creation, value + gradient, read-back), in ms. */
  ms?: number;
}

export interface LossSummary {
  loss: string;
  passed: number;
  total: number;
  worstValueError: number;
  worstGradError: number;
  failures: CaseResult[];
}

export function relativeTolerance(backend: string): number {
  return backend === 'webgl' ? 1e-3 : 1e-4;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

export function checkCase(file: GoldenFile, c: GoldenCase, backend: string): CaseResult {
  const base = { loss: file.loss, caseId: c.id, expected: c.value };
  const fail = (reason: string, extra: Partial<CaseResult> = {}): CaseResult => ({
    ...base,
    passed: false,
    value: null,
    valueError: null,
    gradError: null,
    valueTol: null,
    gradTol: null,
    reason,
    ...extra,
  });
  if (!isLossId(file.loss)) return fail(`'${file.loss}' is not a loss of the registry`);
  const def = getLoss(file.loss);
  if (!isImplemented(def)) return fail(`${file.loss} is not implemented yet`);

  const [n, h, w, k] = c.shape;
  const logits = tf.tensor4d(c.logits, [n, h, w, k], 'float32');
  const target = tf.tensor3d(c.target, [n, h, w], 'int32');
  const ctx = GroundTruthContext.fromLabels(Int32Array.from(c.target), [n, h, w], k);
  let value: number;
  let grad: Float32Array;
  try {
    const out = lossAndGrad(def, logits, target, c.params, ctx);
    value = out.value.dataSync()[0] as number;
    grad = out.grad.dataSync() as Float32Array;
    out.value.dispose();
    out.grad.dispose();
  } catch (e) {
    return fail(`threw: ${(e as Error).message}`);
  } finally {
    logits.dispose();
    target.dispose();
    ctx.dispose();
  }

  let finite = Number.isFinite(value);
  for (let i = 0; i < grad.length && finite; i++) finite = Number.isFinite(grad[i]);

  if (c.value === null || c.grad === null) {
    return {
      ...base,
      passed: finite,
      value,
      valueError: null,
      gradError: null,
      valueTol: null,
      gradTol: null,
      reason: finite
        ? `reference has no value (${c.valueStatus ?? 'null'}); ours is finite`
        : 'reference has no value and ours is not finite',
    };
  }
  if (grad.length !== c.grad.length) return fail(`gradient has ${grad.length} entries, expected ${c.grad.length}`);

  const r = relativeTolerance(backend);
  const dev = c.float32Deviation ?? { value: 0, grad: 0 };
  const valueTol = Math.max(r * Math.max(Math.abs(c.value), 1e-3), 4 * dev.value);
  const gradTol = Math.max(r * maxAbs(c.grad), 4 * dev.grad);
  const valueError = Math.abs(value - c.value);
  let gradError = 0;
  for (let i = 0; i < grad.length; i++)
    gradError = Math.max(gradError, Math.abs((grad[i] as number) - (c.grad[i] as number)));
  const passed = finite && valueError <= valueTol && gradError <= gradTol;
  return {
    ...base,
    passed,
    value,
    valueError: Number.isNaN(valueError) ? Number.POSITIVE_INFINITY : valueError,
    gradError: Number.isNaN(gradError) ? Number.POSITIVE_INFINITY : gradError,
    valueTol,
    gradTol,
    reason: passed
      ? undefined
      : !finite
        ? 'value or gradient not finite'
        : `value error ${valueError.toExponential(2)} (tol ${valueTol.toExponential(2)}), grad error ${gradError.toExponential(2)} (tol ${gradTol.toExponential(2)})`,
  };
}

/** Runs every case of a file; a property file (no cases) passes as one case when its loss is registered. */
export function checkFile(file: GoldenFile, backend: string): CaseResult[] {
  if (file.cases.length === 0) {
    const registered = isLossId(file.loss) && isImplemented(getLoss(file.loss));
    return [
      {
        loss: file.loss,
        caseId: 'property',
        passed: registered,
        value: null,
        expected: null,
        valueError: null,
        gradError: null,
        valueTol: null,
        gradTol: null,
        reason: registered ? 'property file: loss is registered' : `property file: ${file.loss} is not implemented`,
      },
    ];
  }
  return file.cases.map((c) => {
    const t0 = performance.now();
    const r = checkCase(file, c, backend);
    r.ms = performance.now() - t0;
    return r;
  });
}

export function summarise(results: CaseResult[]): LossSummary[] {
  const by = new Map<string, LossSummary>();
  for (const r of results) {
    let s = by.get(r.loss);
    if (!s) {
      s = { loss: r.loss, passed: 0, total: 0, worstValueError: 0, worstGradError: 0, failures: [] };
      by.set(r.loss, s);
    }
    s.total++;
    if (r.passed) s.passed++;
    else s.failures.push(r);
    if (r.valueError !== null) s.worstValueError = Math.max(s.worstValueError, r.valueError);
    if (r.gradError !== null) s.worstGradError = Math.max(s.worstGradError, r.gradError);
  }
  return [...by.values()];
}

/** A failed pseudo-case for a file that could not be read or parsed (counted as one failed case). */
export function fileErrorResult(name: string, reason: string): CaseResult {
  return {
    loss: name,
    caseId: 'file',
    passed: false,
    value: null,
    expected: null,
    valueError: null,
    gradError: null,
    valueTol: null,
    gradTol: null,
    reason,
  };
}

/** Counts of passed and failed cases. */
export function countResults(results: readonly CaseResult[]): { passed: number; failed: number } {
  const passed = results.filter((r) => r.passed).length;
  return { passed, failed: results.length - passed };
}

/** The closing line of every report: exactly `N passed, M failed`. */
export function totalsLine(results: readonly CaseResult[]): string {
  const { passed, failed } = countResults(results);
  return `${passed} passed, ${failed} failed`;
}

/**
 * The report the CLI prints: one line per loss (cases passed/total, worst value and gradient error over the
 * cases that produced numbers, '–' when none did), failures indented (a reason shared by every case of a
 * loss, e.g. "not implemented yet", is printed once), and the closing `N passed, M failed`.
 */
export function formatReport(results: CaseResult[], backend: string): string {
  const lines: string[] = [];
  for (const s of summarise(results)) {
    const own = results.filter((r) => r.loss === s.loss);
    const measured = own.some((r) => r.valueError !== null);
    const err = (x: number) => (measured ? x.toExponential(2) : '–');
    const ms = own.reduce((t, r) => t + (r.ms ?? 0), 0);
    lines.push(
      `${s.failures.length ? 'FAIL' : 'ok  '} ${s.loss.padEnd(30)} ${String(s.passed).padStart(2)}/${s.total} cases  ` +
        `worst value err ${err(s.worstValueError)}  worst grad err ${err(s.worstGradError)}  [${backend}${ms > 0 ? `, ${(ms / 1000).toFixed(1)} s` : ''}]`,
    );
    const reasons = new Set(s.failures.map((f) => f.reason));
    if (s.failures.length > 1 && s.failures.length === s.total && reasons.size === 1) {
      lines.push(`       all ${s.total} cases: ${s.failures[0]?.reason}`);
    } else {
      for (const f of s.failures) lines.push(`       ${f.caseId}: ${f.reason}`);
    }
  }
  lines.push(totalsLine(results));
  return lines.join('\n');
}

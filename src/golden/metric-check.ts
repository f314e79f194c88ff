/**
 * Checks a `seg-metric-golden/1` file on the current TF.js backend: each case's label-map prediction becomes
 * one-hot scores, the argmax runs on the backend (segmentationMetrics), and every metric is compared per image
 * and class with MONAI's value within the file's relative tolerance (|a − v| ≤ tol·max(|v|, 1)). A reference
 * null must come back as undefined with the same MONAI status ('nan' | 'inf'), and vice versa.
 * One CaseResult per (case, metric), named `metric:<name>` so the report has one line per metric.
 */
import { segmentationMetrics } from '../metrics/segmentation-metrics';
import { METRIC_NAMES, type MetricName, type MetricSummary } from '../metrics/types';
import { tf } from '../tf';
import type { CaseResult } from './check';
import type { MetricGoldenCase, MetricGoldenFile } from './metric-format';

function oneHotScores(c: MetricGoldenCase): tf.Tensor4D {
  const [n, h, w] = c.shape;
  const k = c.numClasses;
  const data = new Float32Array(n * h * w * k);
  for (let i = 0; i < n * h * w; i++) data[i * k + (c.prediction[i] as number)] = 1;
  return tf.tensor4d(data, [n, h, w, k]);
}

function compare(f: MetricGoldenFile, c: MetricGoldenCase, s: MetricSummary, m: MetricName, ms: number): CaseResult {
  const tol = f.tolerance[m];
  let worst = 0;
  let worstTol = 0;
  const problems: string[] = [];
  const [n] = c.shape;
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < c.numClasses; k++) {
      const want = c.expected[m]?.[b]?.[k] as number | null;
      const status = c.expected[`${m}Status`]?.[b]?.[k] as string;
      const got = s.perImage[b]?.[m][k];
      const at = `[${b}][${k}]`;
      if (!got) problems.push(`${at} missing`);
      else if (want === null || status !== 'ok') {
        if (got.kind !== 'undefined') problems.push(`${at} = ${got.value}, MONAI gives ${status}`);
        else if (got.monai !== status) problems.push(`${at} undefined as ${got.monai}, MONAI gives ${status}`);
      } else if (got.kind === 'undefined') problems.push(`${at} undefined (${got.reason}), MONAI gives ${want}`);
      else {
        const err = Math.abs(got.value - want);
        const t = tol * Math.max(Math.abs(want), 1);
        if (err / t > worst / (worstTol || 1) || worstTol === 0) {
          worst = err;
          worstTol = t;
        }
        if (!(err <= t))
          problems.push(`${at} = ${got.value}, MONAI ${want} (error ${err.toExponential(2)} > ${t.toExponential(2)})`);
      }
    }
  }
  return {
    loss: `metric:${m}`,
    caseId: c.name,
    passed: problems.length === 0,
    value: null,
    expected: null,
    valueError: worst,
    gradError: null,
    valueTol: worstTol,
    gradTol: null,
    reason: problems.length ? problems.slice(0, 3).join('; ') : undefined,
    ms,
  };
}

export function checkMetricFile(f: MetricGoldenFile): CaseResult[] {
  const out: CaseResult[] = [];
  for (const c of f.cases) {
    const t0 = performance.now();
    const scores = oneHotScores(c);
    let s: MetricSummary;
    try {
      s = segmentationMetrics(scores, c.target, { includeBackground: true });
    } catch (e) {
      for (const m of METRIC_NAMES)
        out.push({
          loss: `metric:${m}`,
          caseId: c.name,
          passed: false,
          value: null,
          expected: null,
          valueError: null,
          gradError: null,
          valueTol: null,
          gradTol: null,
          reason: `threw: ${(e as Error).message}`,
        });
      continue;
    } finally {
      scores.dispose();
    }
    const ms = (performance.now() - t0) / METRIC_NAMES.length;
    for (const m of METRIC_NAMES) out.push(compare(f, c, s, m, ms));
  }
  return out;
}

/** The metric golden format `seg-metric-golden/1` (../shared/golden/metrics/README.md). */
import { METRIC_NAMES, type MetricName } from '../metrics/types';

export interface MetricGoldenCase {
  name: string;
  shape: [number, number, number];
  numClasses: number;
  target: number[];
  prediction: number[];
  /** expected[metric] is [N][C] (null = MONAI NaN/inf), expected[`${metric}Status`] [N][C] 'ok' | 'nan' | 'inf'. */
  expected: Record<string, (number | string | null)[][]>;
}

export interface MetricGoldenFile {
  format: 'seg-metric-golden/1';
  reference: string;
  tolerance: Record<MetricName, number>;
  cases: MetricGoldenCase[];
}

export const METRIC_GOLDEN_FORMAT = 'seg-metric-golden/1';

export function parseMetricGoldenFile(text: string, name = 'metric golden file'): MetricGoldenFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not valid JSON (${(e as Error).message})`);
  }
  const f = data as Partial<MetricGoldenFile>;
  if (f.format !== METRIC_GOLDEN_FORMAT) throw new Error(`${name}: format is not '${METRIC_GOLDEN_FORMAT}'`);
  if (!Array.isArray(f.cases)) throw new Error(`${name}: missing 'cases'`);
  for (const m of METRIC_NAMES)
    if (typeof f.tolerance?.[m] !== 'number') throw new Error(`${name}: missing tolerance.${m}`);
  for (const c of f.cases) {
    const [n, h, w] = c.shape;
    if (c.target.length !== n * h * w || c.prediction.length !== n * h * w)
      throw new Error(`${name}: case ${c.name} has arrays that do not match shape [${c.shape.join(', ')}]`);
    for (const m of METRIC_NAMES) {
      const e = c.expected[m];
      const s = c.expected[`${m}Status`];
      if (!e || !s || e.length !== n || s.length !== n || e.some((r) => r.length !== c.numClasses))
        throw new Error(`${name}: case ${c.name} lacks an [${n}][${c.numClasses}] expected.${m} / ${m}Status`);
    }
  }
  return f as MetricGoldenFile;
}

/** The `format` field of a golden file's text, or undefined when it is not a JSON object. */
export function goldenFormatOf(text: string): string | undefined {
  try {
    const f = (JSON.parse(text) as { format?: unknown }).format;
    return typeof f === 'string' ? f : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a golden file of either format (loss `seg-loss-golden/1` or metric `seg-metric-golden/1`). */
import { type CaseResult, checkFile } from './check';
import { parseGoldenFile } from './format';
import { checkMetricFile } from './metric-check';
import { goldenFormatOf, METRIC_GOLDEN_FORMAT, parseMetricGoldenFile } from './metric-format';

/** Parses and checks one file's text on the current backend; throws on an unparsable file. */
export function checkGoldenText(text: string, name: string, backend: string): CaseResult[] {
  if (goldenFormatOf(text) === METRIC_GOLDEN_FORMAT) return checkMetricFile(parseMetricGoldenFile(text, name));
  return checkFile(parseGoldenFile(text, name), backend);
}

// The segmentation metrics of the current masks (Dice, IoU, HD95, HD, ASSD of the argmax; src/metrics computed by
// the compute host, app/metrics/client.ts): per class and the mean over the foreground classes present. An
// undefined metric (an empty class) reads "undefined" with MONAI's reason in its title, never a number.
import { METRIC_NAMES, type MetricName, type MetricSummary, type MetricValue } from '../../src';
import { metricsStale, useMetrics } from '../metrics/state';
import { useStore } from '../store';
import './metrics.css';

export const METRIC_LABELS: Record<MetricName, { name: string; unit: string; title: string }> = {
  dice: { name: 'Dice', unit: '', title: 'Dice score 2|P∩G| / (|P| + |G|), higher is better' },
  iou: { name: 'IoU', unit: '', title: 'intersection over union |P∩G| / |P∪G|, higher is better' },
  hd95: {
    name: 'HD95',
    unit: 'px',
    title: '95th-percentile Hausdorff distance between the surfaces (px), lower is better',
  },
  hd: { name: 'HD', unit: 'px', title: 'Hausdorff distance, the largest surface distance (px), lower is better' },
  assd: { name: 'ASSD', unit: 'px', title: 'average symmetric surface distance (px), lower is better' },
};

function text(m: MetricValue, metric: MetricName): string {
  if (m.kind === 'undefined') return 'undefined';
  return metric === 'dice' || metric === 'iou' ? m.value.toFixed(3) : m.value.toFixed(2);
}

function MetricCell({
  m,
  metric,
  cls,
  stale,
}: {
  m: MetricValue;
  metric: MetricName;
  cls: number | 'mean';
  stale: boolean;
}) {
  const where = cls === 'mean' ? 'mean over the foreground classes present' : `class ${cls}`;
  const title =
    m.kind === 'undefined'
      ? `${METRIC_LABELS[metric].name}, ${where}: undefined — ${m.message}`
      : `${METRIC_LABELS[metric].name}, ${where}: ${m.value}${METRIC_LABELS[metric].unit ? ' px' : ''}`;
  return (
    <span
      className={`metric-value${m.kind === 'undefined' ? ' undefined' : ''}${stale ? ' stale' : ''}`}
      data-testid="metric-value"
      data-metric={metric}
      data-class={String(cls)}
      data-value={m.kind === 'value' ? String(m.value) : 'undefined'}
      data-reason={m.kind === 'undefined' ? m.reason : undefined}
      data-stale={stale ? 'true' : undefined}
      title={title}
    >
      {text(m, metric)}
    </span>
  );
}

function useMetricsView(): { summary: MetricSummary | null; stale: boolean; error: string | null } {
  const summary = useMetrics((m) => m.summary);
  const error = useMetrics((m) => m.error);
  const inputs = useMetrics((m) => m.inputs);
  // A boolean, not the masks: an edit re-renders the rows only when they turn stale.
  const stale = useStore((s) => metricsStale({ inputs }, s));
  return { summary, stale, error };
}

/** Beside the live list: the means only, one compact line per metric. */
function LiveMetrics({ summary, stale }: { summary: MetricSummary; stale: boolean }) {
  return (
    <dl className="metrics-live">
      {METRIC_NAMES.map((k) => (
        <div key={k} title={METRIC_LABELS[k].title}>
          <dt>{METRIC_LABELS[k].name}</dt>
          <dd>
            <MetricCell m={summary.mean[k]} metric={k} cls="mean" stale={stale} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Above the loss table: every class and the mean. */
function TableMetrics({ summary, stale }: { summary: MetricSummary; stale: boolean }) {
  const classes = Array.from({ length: summary.numClasses }, (_, c) => c);
  return (
    <div className="table-scroll">
      <table className="metrics-table">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" title={`over classes ${summary.meanClasses.join(', ') || '(none)'}`}>
              mean
            </th>
            {classes.map((c) => (
              <th key={c} scope="col">
                class {c}
                {c === 0 ? ' (bg)' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {METRIC_NAMES.map((k) => (
            <tr key={k}>
              <th scope="row" title={METRIC_LABELS[k].title}>
                {METRIC_LABELS[k].name}
                {METRIC_LABELS[k].unit && <span className="muted"> ({METRIC_LABELS[k].unit})</span>}
              </th>
              <td className="num">
                <MetricCell m={summary.mean[k]} metric={k} cls="mean" stale={stale} />
              </td>
              {classes.map((c) => (
                <td key={c} className="num">
                  <MetricCell m={summary.perClass[k][c] as MetricValue} metric={k} cls={c} stale={stale} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The undefined entries' reasons, once each, as visible text. */
function Reasons({ summary }: { summary: MetricSummary }) {
  const reasons = new Set<string>();
  for (const k of METRIC_NAMES) {
    const mean = summary.mean[k];
    if (mean.kind === 'undefined') reasons.add(`${METRIC_LABELS[k].name} mean: ${mean.message}`);
  }
  if (reasons.size === 0) return null;
  return (
    <ul className="metrics-reasons note" data-testid="metric-reasons">
      {[...reasons].map((r) => (
        <li key={r}>undefined — {r}</li>
      ))}
    </ul>
  );
}

export function MetricsRow({ place }: { place: 'live' | 'table' }) {
  const { summary, stale, error } = useMetricsView();
  const ms = useMetrics((m) => m.engineMs);
  return (
    <section
      className={`metrics-row metrics-${place}-panel${place === 'table' ? ' panel' : ''}`}
      aria-label="Segmentation metrics of the argmax prediction"
      data-testid="metrics-row"
      data-place={place}
      data-stale={stale ? 'true' : undefined}
      data-ms={ms ?? undefined}
    >
      <h2 className={place === 'live' ? 'metrics-title-live' : undefined}>
        Metrics{' '}
        <small className="muted">argmax vs GT{place === 'table' ? ' · MONAI conventions, unit spacing' : ''}</small>
      </h2>
      {error && (
        <p className="error" role="alert">
          Metrics failed: {error}
        </p>
      )}
      {!summary ? (
        <p className="muted">…</p>
      ) : place === 'live' ? (
        <LiveMetrics summary={summary} stale={stale} />
      ) : (
        <>
          <TableMetrics summary={summary} stale={stale} />
          <Reasons summary={summary} />
        </>
      )}
    </section>
  );
}

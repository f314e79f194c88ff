// The loss table as CSV and JSON: pure formatting (no DOM, no store), so it is unit-tested in Node.
import { isImplemented, LOSSES, type LossId, type Params, resolveParams } from '../../src';

export interface ExportMeta {
  app: string;
  /** package.json version of the build. */
  version: string;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /** Backend the values were computed on (null while none is up). */
  backend: string | null;
  width: number;
  height: number;
  numClasses: number;
  focusedLoss: LossId;
}

/** 'stale': the value (or error) belongs to older inputs than the exported masks and parameters. */
export type RowStatus = 'ok' | 'non-finite' | 'error' | 'off' | 'coming' | 'pending' | 'stale';

export interface ExportRow {
  /** 1-based position in the survey's taxonomy order (the table's # column). */
  index: number;
  id: LossId;
  name: string;
  /** pixel | region | boundary | combination (the survey's four categories). */
  category: string;
  status: RowStatus;
  /** The value as the table shows it (a float32 read back from the engine); null when there is none. */
  value: number | null;
  error: string | null;
  /** Every parameter the loss ran with (defaults merged with the user's changes); null for 'coming' losses. */
  params: Params | null;
}

export interface ResultLike {
  value: number | null;
  error: string | null;
  nonFinite: boolean;
  /** The state this result belongs to (see the store's stateVersion). */
  version?: number;
}

/** One row per loss (all 25, taxonomy order) from the store's results, switches and parameters. */
export function exportRows(
  results: Partial<Record<LossId, ResultLike>>,
  enabled: Partial<Record<LossId, boolean>>,
  params: Partial<Record<LossId, Params>>,
  numClasses: number,
  /** The store's stateVersion: a result of another version is exported with status 'stale'. */
  stateVersion?: number,
): ExportRow[] {
  return LOSSES.map((def, i) => {
    const r = results[def.id];
    const implemented = isImplemented(def);
    let used: Params | null = null;
    if (implemented) {
      try {
        used = resolveParams(def.id, def.params, params[def.id] ?? {}, numClasses);
      } catch {
        used = { ...(params[def.id] ?? {}) };
      }
    }
    let status: RowStatus;
    if (!implemented) status = 'coming';
    else if (!enabled[def.id]) status = 'off';
    else if (!r) status = 'pending';
    else if (stateVersion !== undefined && r.version !== stateVersion) status = 'stale';
    else if (r.error) status = 'error';
    else if (r.nonFinite || r.value === null || !Number.isFinite(r.value)) status = 'non-finite';
    else status = 'ok';
    const hasValue = implemented && !!enabled[def.id] && !!r && !r.error;
    return {
      index: i + 1,
      id: def.id,
      name: def.name,
      category: def.category,
      status,
      value: hasValue ? (r?.value ?? null) : null,
      error: r?.error ?? null,
      params: used,
    };
  });
}

/**
 * The shortest decimal that reads back (through Math.fround) as the same float32: at most 9 significant
 * digits, exact for every float32. A value that is not a float32 gets JavaScript's shortest float64 text.
 */
export function formatFloat32(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (Math.fround(v) !== v) return String(v);
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p)).toString();
    if (Math.fround(Number(s)) === v) return s;
  }
  return String(v);
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  'index',
  'id',
  'name',
  'category',
  'status',
  'value',
  'error',
  'params',
  'width',
  'height',
  'num_classes',
  'backend',
  'app_version',
  'exported_at',
] as const;

/** One header line, then one line per loss; CRLF line ends (RFC 4180). The run's metadata repeats per row. */
export function toCsv(meta: ExportMeta, rows: readonly ExportRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const fields = [
      String(r.index),
      r.id,
      r.name,
      r.category,
      r.status,
      r.value === null ? '' : formatFloat32(r.value),
      r.error ?? '',
      r.params ? JSON.stringify(r.params) : '',
      String(meta.width),
      String(meta.height),
      String(meta.numClasses),
      meta.backend ?? '',
      meta.version,
      meta.exportedAt,
    ];
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const JSON_FORMAT = 'segloss-explorer/losses@1';

/** Pretty JSON; a non-finite value is null with its text in `valueText` (JSON has no NaN/Infinity). */
export function toJson(meta: ExportMeta, rows: readonly ExportRow[]): string {
  const doc = {
    format: JSON_FORMAT,
    app: { name: meta.app, version: meta.version },
    exportedAt: meta.exportedAt,
    backend: meta.backend,
    grid: { width: meta.width, height: meta.height },
    numClasses: meta.numClasses,
    focusedLoss: meta.focusedLoss,
    losses: rows.map((r) => ({
      index: r.index,
      id: r.id,
      name: r.name,
      category: r.category,
      status: r.status,
      value: r.value !== null && Number.isFinite(r.value) ? r.value : null,
      ...(r.value !== null && !Number.isFinite(r.value) ? { valueText: formatFloat32(r.value) } : {}),
      ...(r.error ? { error: r.error } : {}),
      params: r.params,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** File-name-safe timestamp (2026-11-27T09-30-00Z). */
export function fileStamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

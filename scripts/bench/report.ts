// The benchmark's machine-readable side: `npm run bench -- --json FILE` writes a BenchReport, and
// `--compare OLD.json` prints each row's time against the same row of an older report. Pure functions.
import { cpus, totalmem } from 'node:os';
import type { BenchRow } from '../../src/golden/bench';

export interface BenchReportRow {
  loss: string;
  classes: number;
  size: number;
  /** Where it ran: node-cpu | node-wasm | chromium-webgl | chromium-wasm (| app-… for --app rows). */
  backend: string;
  medianMs: number | null;
  firstMs: number | null;
  error?: string;
}

export interface BenchReport {
  machine: { node: string; platform: string; cpu: string; cores: number; memoryGiB: number; when: string };
  rows: BenchReportRow[];
}

export function machineInfo(now = new Date()): BenchReport['machine'] {
  const list = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    when: now.toISOString(),
  };
}

export function reportRows(rows: readonly BenchRow[], size: number, backend: string): BenchReportRow[] {
  return rows.map((r) => ({
    loss: r.loss,
    classes: r.classes,
    size,
    backend,
    medianMs: r.medianMs,
    firstMs: r.firstMs,
    ...(r.error ? { error: r.error } : {}),
  }));
}

/** Throws with a readable reason when `value` is not a BenchReport (a hand-edited or foreign file). */
export function parseReport(text: string, name: string): BenchReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${name} is not JSON`);
  }
  const r = raw as Partial<BenchReport>;
  if (!r || typeof r !== 'object' || !Array.isArray(r.rows) || typeof r.machine !== 'object')
    throw new Error(`${name} is not a bench report (it needs "machine" and "rows")`);
  for (const row of r.rows) {
    if (typeof row?.loss !== 'string' || typeof row.backend !== 'string' || !Number.isFinite(row.size))
      throw new Error(`${name} has a row without loss, backend or size`);
  }
  return r as BenchReport;
}

const key = (r: BenchReportRow) => `${r.backend}|${r.loss}|${r.classes}|${r.size}`;

export interface ComparedRow {
  backend: string;
  loss: string;
  classes: number;
  size: number;
  oldMs: number | null;
  newMs: number | null;
  /** new / old; null when either side has no time. */
  ratio: number | null;
}

/** Rows present in both reports, in the new report's order, with new/old ratios. */
export function compareReports(old: BenchReport, now: BenchReport): ComparedRow[] {
  const before = new Map(old.rows.map((r) => [key(r), r]));
  const out: ComparedRow[] = [];
  for (const r of now.rows) {
    const o = before.get(key(r));
    if (!o) continue;
    const ratio = o.medianMs && r.medianMs !== null && o.medianMs > 0 ? r.medianMs / o.medianMs : null;
    out.push({
      backend: r.backend,
      loss: r.loss,
      classes: r.classes,
      size: r.size,
      oldMs: o.medianMs,
      newMs: r.medianMs,
      ratio,
    });
  }
  return out;
}

export function comparisonTable(rows: readonly ComparedRow[]): string {
  const ms = (v: number | null) => (v === null ? '—' : v.toFixed(1));
  const lines = ['| backend | loss | C | size | old ms | new ms | new / old |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(
      `| ${r.backend} | ${r.loss} | ${r.classes} | ${r.size} | ${ms(r.oldMs)} | ${ms(r.newMs)} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`} |`,
    );
  }
  return lines.join('\n');
}

import { describe, expect, it } from 'vitest';
import { type BenchReport, compareReports, comparisonTable, machineInfo, parseReport, reportRows } from './report';

const machine = machineInfo(new Date('2026-12-05T00:00:00Z'));

function report(rows: BenchReport['rows']): BenchReport {
  return { machine, rows };
}

describe('bench report', () => {
  it('describes the machine and turns bench rows into report rows', () => {
    expect(machine.cores).toBeGreaterThan(0);
    expect(machine.when).toBe('2026-12-05T00:00:00.000Z');
    const rows = reportRows(
      [
        { loss: 'dice', classes: 2, backend: 'wasm', medianMs: 1.5, firstMs: 9, reps: 7 },
        { loss: 'rmi', classes: 2, backend: 'wasm', medianMs: null, firstMs: null, reps: 0, error: 'boom' },
      ],
      256,
      'node-wasm',
    );
    expect(rows).toEqual([
      { loss: 'dice', classes: 2, size: 256, backend: 'node-wasm', medianMs: 1.5, firstMs: 9 },
      { loss: 'rmi', classes: 2, size: 256, backend: 'node-wasm', medianMs: null, firstMs: null, error: 'boom' },
    ]);
  });

  it('compares matching rows and prints ratios', () => {
    const old = report([
      { loss: 'dice', classes: 2, size: 256, backend: 'node-wasm', medianMs: 4, firstMs: 10 },
      { loss: 'iou', classes: 2, size: 256, backend: 'node-wasm', medianMs: 2, firstMs: 5 },
    ]);
    const now = report([
      { loss: 'dice', classes: 2, size: 256, backend: 'node-wasm', medianMs: 2, firstMs: 8 },
      { loss: 'dice', classes: 2, size: 128, backend: 'node-wasm', medianMs: 1, firstMs: 3 },
      { loss: 'iou', classes: 2, size: 256, backend: 'node-wasm', medianMs: null, firstMs: null, error: 'x' },
    ]);
    const rows = compareReports(old, now);
    expect(rows.map((r) => [r.loss, r.ratio])).toEqual([
      ['dice', 0.5],
      ['iou', null],
    ]);
    const table = comparisonTable(rows);
    expect(table).toContain('| node-wasm | dice | 2 | 256 | 4.0 | 2.0 | 0.50× |');
    expect(table).toContain('| node-wasm | iou | 2 | 256 | 2.0 | — | — |');
  });

  it('refuses files that are not bench reports', () => {
    expect(() => parseReport('{', 'a.json')).toThrow(/not JSON/);
    expect(() => parseReport('{"rows": 3}', 'a.json')).toThrow(/not a bench report/);
    expect(() => parseReport('{"machine": {}, "rows": [{"loss": 1}]}', 'a.json')).toThrow(/without loss/);
    const ok = JSON.stringify(report([]));
    expect(parseReport(ok, 'a.json').rows).toEqual([]);
  });
});

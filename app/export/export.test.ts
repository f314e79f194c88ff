import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../e2e/fixtures/csv';
import { IMPLEMENTED_LOSSES, LOSSES, mulberry32 } from '../../src';
import { EXPORT_BACKGROUND, heatmapRgba, labelsRgba, predictionRgba, upscaleNearest } from './png';
import {
  CSV_COLUMNS,
  csvField,
  type ExportMeta,
  exportRows,
  fileStamp,
  formatFloat32,
  type ResultLike,
  toCsv,
  toJson,
} from './table';

const meta: ExportMeta = {
  app: 'segloss-explorer',
  version: '0.1.0',
  exportedAt: '2026-11-27T09:30:00.000Z',
  backend: 'wasm',
  width: 64,
  height: 64,
  numClasses: 2,
  focusedLoss: 'dice',
};

function sampleRows() {
  const ids = IMPLEMENTED_LOSSES.map((d) => d.id);
  const results: Record<string, ResultLike> = Object.fromEntries(
    ids.map((id, i) => [id, { value: Math.fround(0.1 + i / 7), error: null, nonFinite: false }]),
  );
  results[ids[1] as string] = { value: Number.NaN, error: null, nonFinite: true };
  results[ids[2] as string] = { value: null, error: 'needs 2 classes, "binary" only', nonFinite: false };
  const enabled = Object.fromEntries(ids.map((id) => [id, id !== ids[3]]));
  return { ids, rows: exportRows(results, enabled, { dice: { smoothNr: 0.5 } }, 2) };
}

describe('number formatting', () => {
  it('gives the shortest text that reads back as the same float32', () => {
    const rnd = mulberry32(3);
    for (let i = 0; i < 2000; i++) {
      const v = Math.fround((rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 10));
      const s = formatFloat32(v);
      expect(Math.fround(Number(s))).toBe(v);
      expect(s.replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(0.1)).toBe('0.1'); // not a float32: float64 shortest text
    expect(formatFloat32(Number.NaN)).toBe('NaN');
    expect(formatFloat32(-Infinity)).toBe('-Infinity');
    expect(formatFloat32(0)).toBe('0');
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('lists all 25 losses with exact values, status, parameters and the run metadata', () => {
    const { ids, rows } = sampleRows();
    const table = parseCsv(toCsv(meta, rows));
    expect(table[0]).toEqual([...CSV_COLUMNS]);
    expect(table.length).toBe(1 + 25);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    for (const [i, def] of LOSSES.entries()) {
      const r = table[i + 1] as string[];
      expect(r.length).toBe(CSV_COLUMNS.length);
      expect(r[col('id')]).toBe(def.id);
      expect(r[col('name')]).toBe(def.name);
      expect(r[col('category')]).toBe(def.category);
      expect(r[col('exported_at')]).toBe(meta.exportedAt);
      expect(r[col('backend')]).toBe('wasm');
    }
    const byId = new Map(table.slice(1).map((r) => [r[col('id')], r]));
    const first = byId.get(ids[0]) as string[];
    expect(first[col('status')]).toBe('ok');
    expect(Math.fround(Number(first[col('value')]))).toBe(rows[LOSSES.findIndex((d) => d.id === ids[0])]?.value);
    expect(byId.get(ids[1])?.[col('status')]).toBe('non-finite');
    expect(byId.get(ids[1])?.[col('value')]).toBe('NaN');
    expect(byId.get(ids[2])?.[col('error')]).toBe('needs 2 classes, "binary" only');
    expect(byId.get(ids[3])?.[col('status')]).toBe('off');
    expect(byId.get(ids[3])?.[col('value')]).toBe('');
    expect(JSON.parse(byId.get('dice')?.[col('params')] as string)).toMatchObject({ smoothNr: 0.5, smoothDr: 1e-5 });
  });
});

describe('JSON', () => {
  it('has the documented shape, exact values and null for non-finite ones', () => {
    const { ids, rows } = sampleRows();
    const doc = JSON.parse(toJson(meta, rows));
    expect(doc).toMatchObject({
      format: 'segloss-explorer/losses@1',
      app: { name: 'segloss-explorer', version: '0.1.0' },
      exportedAt: meta.exportedAt,
      backend: 'wasm',
      grid: { width: 64, height: 64 },
      numClasses: 2,
      focusedLoss: 'dice',
    });
    expect(doc.losses).toHaveLength(25);
    expect(doc.losses.map((l: { id: string }) => l.id)).toEqual(LOSSES.map((d) => d.id));
    const first = doc.losses.find((l: { id: string }) => l.id === ids[0]);
    expect(first).toMatchObject({ status: 'ok', category: LOSSES.find((d) => d.id === ids[0])?.category });
    expect(first.value).toBe(rows.find((r) => r.id === ids[0])?.value);
    const bad = doc.losses.find((l: { id: string }) => l.id === ids[1]);
    expect(bad).toMatchObject({ status: 'non-finite', value: null, valueText: 'NaN' });
    expect(Object.keys(first).sort()).toEqual(['category', 'id', 'index', 'name', 'params', 'status', 'value']);
  });

  it('makes file-name-safe timestamps', () => {
    expect(fileStamp('2026-11-27T09:30:00.123Z')).toBe('2026-11-27T09-30-00Z');
  });
});

describe('PNG pixels', () => {
  it('paints class 0 as the light background and scales up with crisp k×k blocks', () => {
    const rgba = labelsRgba(Int32Array.from([0, 1, 2, 0]));
    expect(Array.from(rgba.subarray(0, 4))).toEqual([...EXPORT_BACKGROUND, 255]);
    expect(Array.from(rgba.subarray(4, 8))).toEqual([230, 159, 0, 255]);
    const up = upscaleNearest(rgba, 2, 2, 3);
    expect(up.length).toBe(6 * 6 * 4);
    const at = (x: number, y: number) => Array.from(up.subarray((y * 6 + x) * 4, (y * 6 + x) * 4 + 4));
    for (const [x, y] of [
      [3, 0],
      [5, 2],
    ])
      expect(at(x as number, y as number)).toEqual([230, 159, 0, 255]);
    expect(at(2, 0)).toEqual([...EXPORT_BACKGROUND, 255]);
    expect(at(0, 3)).toEqual(Array.from(rgba.subarray(8, 12)));
    expect(() => upscaleNearest(rgba, 2, 2, 1.5)).toThrow();
  });

  it('mixes class colours by probability and keeps every pixel opaque', () => {
    const sure = Math.log(0.9999) - Math.log(0.0001);
    const px = predictionRgba(Float32Array.from([sure, 0, 0, 0]), 2);
    expect(Array.from(px.subarray(0, 3))).toEqual([...EXPORT_BACKGROUND]);
    // 50/50: halfway between white and orange.
    expect(Array.from(px.subarray(4, 8))).toEqual([243, 207, 128, 255]);
    const heat = heatmapRgba(Float32Array.from([-1, 0, 1, Number.NaN]), 1);
    for (let i = 3; i < heat.length; i += 4) expect(heat[i]).toBe(255);
  });
});

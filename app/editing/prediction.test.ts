import { describe, expect, it } from 'vitest';
import { decodeFloat32, decodeLabels, encodeFloat32, rleDecode, rleEncode } from './encoding';
import { exampleMasks } from './example';
import { P_MIN } from './grid';
import { emptyHistory, HISTORY_LIMIT, pushHistory, redoHistory, undoHistory } from './history';
import {
  addLogitNoise,
  argmaxLabels,
  blurredLogits,
  confidentProbabilities,
  gaussianBlur,
  logitsFromProbabilities,
  perfectLogits,
  probabilitiesFromLogits,
  resizeClasses,
  shiftPrediction,
  softBrushStroke,
  temperatureScale,
} from './prediction';
import { resampleArea, resampleLabelsNearest, resampleLogits } from './resample';

const g = { width: 8, height: 8 };

describe('prediction operations', () => {
  it('round-trips probabilities through clamped logits', () => {
    const p = new Float32Array([0.2, 0.8, 1, 0, 0.5, 0.5]);
    const back = probabilitiesFromLogits(logitsFromProbabilities(p, 2), 2);
    expect(back[0]).toBeCloseTo(0.2, 6);
    expect(back[2]).toBeCloseTo(1 - P_MIN, 6);
    expect(back[3]).toBeCloseTo(P_MIN, 6);
    expect(back[4]).toBeCloseTo(0.5, 6);
  });

  it('perfect prediction puts the confidence on the GT class', () => {
    const t = new Int32Array([0, 1, 2, 1]);
    const p = probabilitiesFromLogits(perfectLogits(t, 3, 0.9), 3);
    expect(p[1 * 3 + 1]).toBeCloseTo(0.9, 5);
    expect(p[1 * 3 + 0]).toBeCloseTo(0.05, 5);
    expect([...argmaxLabels(perfectLogits(t, 3), 3)]).toEqual([0, 1, 2, 1]);
  });

  it('blur preserves mass and smooths edges', () => {
    const t = new Int32Array(64);
    t[27] = 1;
    const p = confidentProbabilities(t, 2, 1 - P_MIN);
    const b = gaussianBlur(p, g, 2, 1);
    let s = 0;
    for (let i = 0; i < 64; i++) s += b[i * 2 + 1]!;
    expect(s).toBeCloseTo(1 + 63 * P_MIN, 3);
    const bl = probabilitiesFromLogits(blurredLogits(t, g, 2, 1), 2);
    expect(bl[27 * 2 + 1]!).toBeLessThan(0.5);
    expect(bl[28 * 2 + 1]!).toBeGreaterThan(0.05);
  });

  it('shifts, scales temperature, adds seeded noise', () => {
    const t = new Int32Array(64);
    t[0] = 1;
    const l = perfectLogits(t, 2);
    const s = argmaxLabels(shiftPrediction(l, g, 2, 1, 1), 2);
    expect(s[9]).toBe(1);
    expect(s[0]).toBe(0);
    const hot = temperatureScale(l, 0.5);
    expect(hot[1]).toBeCloseTo(2 * l[1]!, 5);
    expect(addLogitNoise(l, 1, 5)).toEqual(addLogitNoise(l, 1, 5));
    expect(addLogitNoise(l, 1, 5)).not.toEqual(addLogitNoise(l, 1, 6));
  });

  it('soft brush raises the class near the centre with a smooth falloff', () => {
    const l = new Float32Array(64 * 3); // uniform
    const out = probabilitiesFromLogits(
      softBrushStroke(l, g, 3, [{ x: 4, y: 4 }], { cls: 2, radius: 3, strength: 1, mode: 'raise' }),
      3,
    );
    const at = (x: number, y: number) => out[(y * 8 + x) * 3 + 2]!;
    expect(at(4, 4)).toBeGreaterThan(0.99);
    expect(at(5, 4)).toBeGreaterThan(1 / 3);
    expect(at(5, 4)).toBeLessThan(at(4, 4));
    expect(at(0, 0)).toBeCloseTo(1 / 3, 6);
    // pixels still sum to 1, other classes keep their ratio
    const i = (4 * 8 + 6) * 3;
    expect(out[i]! + out[i + 1]! + out[i + 2]!).toBeCloseTo(1, 5);
    expect(out[i]!).toBeCloseTo(out[i + 1]!, 6);
    const lowered = probabilitiesFromLogits(
      softBrushStroke(l, g, 3, [{ x: 4, y: 4 }], { cls: 2, radius: 3, strength: 1, mode: 'lower' }),
      3,
    );
    expect(lowered[(4 * 8 + 4) * 3 + 2]!).toBeLessThan(1e-3);
    // pixels out of reach keep their exact logits (no clamp round trip)
    const big = new Float32Array(64 * 2).fill(0);
    for (let i = 0; i < 64; i++) big[i * 2 + 1] = 30;
    const after = softBrushStroke(big, g, 2, [{ x: 1, y: 1 }], { cls: 1, radius: 1, strength: 1, mode: 'lower' });
    expect(after[(7 * 8 + 7) * 2 + 1]).toBe(30);
    expect(after[(1 * 8 + 1) * 2 + 1]!).toBeLessThan(0);
  });

  it('changes the number of classes', () => {
    const l = perfectLogits(new Int32Array([0, 1]), 2, 0.8);
    const up = probabilitiesFromLogits(resizeClasses(l, 2, 4), 4);
    expect(up[1]).toBeCloseTo(0.2, 3);
    expect(up[3]).toBeCloseTo(P_MIN, 5);
  });
});

describe('resampling', () => {
  it('nearest for labels, area for probabilities', () => {
    const lab = new Int32Array([0, 1, 2, 3]);
    expect([...resampleLabelsNearest(lab, { width: 2, height: 2 }, { width: 4, height: 4 })]).toEqual([
      0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3,
    ]);
    const v = new Float32Array([1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const a = resampleArea(v, { width: 4, height: 4 }, { width: 2, height: 2 }, 1);
    expect([...a]).toEqual([0.75, 0, 0, 0]);
    const m = exampleMasks(64);
    const up = resampleLogits(m.logits, { width: 64, height: 64 }, { width: 128, height: 128 }, 2);
    expect(up.length).toBe(128 * 128 * 2);
    expect(up.every(Number.isFinite)).toBe(true);
  });
});

describe('example, encodings, history', () => {
  it('builds the example at every grid size', () => {
    for (const s of [64, 128, 256]) {
      const m = exampleMasks(s);
      const fg = m.target.reduce((n, v) => n + v, 0) / (s * s);
      expect(fg).toBeGreaterThan(0.1);
      expect(fg).toBeLessThan(0.3);
      expect(m.logits.every(Number.isFinite)).toBe(true);
      // imperfect: the arg-max differs from the GT somewhere, but mostly agrees
      const am = argmaxLabels(m.logits, 2);
      let diff = 0;
      for (let i = 0; i < am.length; i++) diff += am[i] !== m.target[i] ? 1 : 0;
      expect(diff).toBeGreaterThan(0);
      expect(diff / am.length).toBeLessThan(0.1);
    }
  });

  it('round-trips RLE and base64', () => {
    const t = exampleMasks(64);
    expect(rleDecode(rleEncode(t.target), t.target.length)).toEqual(t.target);
    expect(() => rleDecode([1, 5], 4)).toThrow();
    expect(decodeFloat32(encodeFloat32(t.logits), t.logits.length)).toEqual(t.logits);
    expect([...decodeLabels({ encoding: 'base64-uint8', data: btoa('\x00\x01\x02') }, 3)]).toEqual([0, 1, 2]);
  });

  it('keeps a bounded undo/redo history', () => {
    const snap = (k: number) => ({ ...exampleMasks(64), numClasses: k });
    let h = emptyHistory;
    for (let k = 0; k < HISTORY_LIMIT + 5; k++) h = pushHistory(h, snap(k));
    expect(h.past.length).toBe(HISTORY_LIMIT);
    const u = undoHistory(h, snap(999))!;
    expect(u.snapshot.numClasses).toBe(HISTORY_LIMIT + 4);
    const r = redoHistory(u.history, u.snapshot)!;
    expect(r.snapshot.numClasses).toBe(999);
    expect(undoHistory(emptyHistory, snap(1))).toBeNull();
    // byte budget: each example snapshot at 64² holds 16 KB of labels + 32 KB of logits
    let b = emptyHistory;
    for (let k = 0; k < 10; k++) b = pushHistory(b, exampleMasks(64), HISTORY_LIMIT, 3 * 48 * 1024);
    expect(b.past.length).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import {
  dilateLabels,
  erodeLabels,
  floodFill,
  maxLabel,
  paintDisc,
  paintRect,
  paintStroke,
  shiftLabels,
} from './labels';

const g = { width: 16, height: 12 };
const blank = () => new Int32Array(g.width * g.height);
const count = (a: Int32Array, v: number) => a.reduce((n, x) => n + (x === v ? 1 : 0), 0);

describe('label operations', () => {
  it('never mutate their input and return the input on no-ops', () => {
    const t = blank();
    const d = paintDisc(t, g, 8, 6, 2, 1);
    expect(count(t, 1)).toBe(0);
    expect(count(d, 1)).toBe(13 + 8); // radius 2 (+0.5): 21 pixels
    expect(paintDisc(d, g, 8, 6, 2, 1)).toBe(d);
    expect(floodFill(d, g, 8, 6, 1)).toBe(d);
  });

  it('paints a gap-free stroke and clips at the border', () => {
    const s = paintStroke(
      blank(),
      g,
      [
        { x: -3, y: 0 },
        { x: 20, y: 11 },
      ],
      0,
      2,
    );
    // every column 0..15 has at least one pixel of class 2 (no gaps)
    for (let x = 0; x < g.width; x++) {
      let any = false;
      for (let y = 0; y < g.height; y++) any ||= s[y * g.width + x] === 2;
      expect(any).toBe(true);
    }
  });

  it('fills rectangles inclusively, whatever the corner order', () => {
    const r = paintRect(blank(), g, { x: 5, y: 4 }, { x: 2, y: 1 }, 3);
    expect(count(r, 3)).toBe(4 * 4);
  });

  it('flood-fills a 4-connected region only', () => {
    let t = paintRect(blank(), g, { x: 0, y: 5 }, { x: 15, y: 5 }, 1); // wall splits the grid
    t = floodFill(t, g, 0, 0, 2);
    expect(count(t, 2)).toBe(16 * 5);
    expect(t[11 * 16]).toBe(0);
  });

  it('shifts with background fill', () => {
    const t = paintDisc(blank(), g, 8, 6, 0, 1);
    const s = shiftLabels(t, g, 3, -2);
    expect(s[4 * 16 + 11]).toBe(1);
    expect(count(s, 1)).toBe(1);
    expect(count(shiftLabels(t, g, 20, 0), 1)).toBe(0);
  });

  it('erodes and dilates with a disc', () => {
    const t = paintRect(blank(), g, { x: 4, y: 3 }, { x: 11, y: 8 }, 1); // 8×6
    const e = erodeLabels(t, g, 1);
    expect(count(e, 1)).toBe(6 * 4);
    const d = dilateLabels(t, g, 1);
    expect(count(d, 1)).toBe(10 * 8); // a radius-1 disc (r + 0.5 = 1.5) is the full 3×3 square
    expect(maxLabel(d)).toBe(1);
  });
});

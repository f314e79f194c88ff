/**
 * Pure ground-truth (label map) operations. Every function returns a NEW Int32Array (inputs are never mutated),
 * or the input itself when nothing changed, so callers can detect no-op edits by identity.
 */

export interface LabelGrid {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Pixels (indices) of a filled disc of radius r centred on (cx, cy); r = 0 is one pixel. */
function forEachDiscPixel(g: LabelGrid, cx: number, cy: number, r: number, f: (i: number) => void): void {
  const rr = (r + 0.5) * (r + 0.5);
  const x0 = Math.max(0, Math.floor(cx - r));
  const x1 = Math.min(g.width - 1, Math.ceil(cx + r));
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(g.height - 1, Math.ceil(cy + r));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx;
      const dy = y - cy;
      if (dx * dx + dy * dy <= rr) f(y * g.width + x);
    }
  }
}

/** Paints a disc of class `cls`. */
export function paintDisc(
  labels: Int32Array,
  g: LabelGrid,
  cx: number,
  cy: number,
  r: number,
  cls: number,
): Int32Array {
  let out: Int32Array | null = null;
  forEachDiscPixel(g, cx, cy, r, (i) => {
    if (labels[i] !== cls) {
      out ??= labels.slice();
      out[i] = cls;
    }
  });
  return out ?? labels;
}

/** Paints a stroke: discs of radius r along the polyline through `points` (spacing ≤ 0.5 px, so no gaps). */
export function paintStroke(
  labels: Int32Array,
  g: LabelGrid,
  points: readonly Point[],
  r: number,
  cls: number,
): Int32Array {
  if (points.length === 0) return labels;
  let out: Int32Array | null = null;
  const put = (i: number) => {
    if ((out ?? labels)[i] !== cls) {
      out ??= labels.slice();
      out[i] = cls;
    }
  };
  const first = points[0]!;
  forEachDiscPixel(g, first.x, first.y, r, put);
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1]!;
    const b = points[k]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const steps = Math.max(1, Math.ceil(len / 0.5));
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      forEachDiscPixel(g, a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, r, put);
    }
  }
  return out ?? labels;
}

/** Fills the axis-aligned rectangle spanned by two corners (inclusive, clipped to the grid). */
export function paintRect(labels: Int32Array, g: LabelGrid, a: Point, b: Point, cls: number): Int32Array {
  const x0 = Math.max(0, Math.round(Math.min(a.x, b.x)));
  const x1 = Math.min(g.width - 1, Math.round(Math.max(a.x, b.x)));
  const y0 = Math.max(0, Math.round(Math.min(a.y, b.y)));
  const y1 = Math.min(g.height - 1, Math.round(Math.max(a.y, b.y)));
  let out: Int32Array | null = null;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * g.width + x;
      if ((out ?? labels)[i] !== cls) {
        out ??= labels.slice();
        out[i] = cls;
      }
    }
  }
  return out ?? labels;
}

/** 4-connected flood fill from (x, y) with class `cls` (scanline-free BFS on a typed-array queue). */
export function floodFill(labels: Int32Array, g: LabelGrid, x: number, y: number, cls: number): Int32Array {
  const { width, height } = g;
  if (x < 0 || y < 0 || x >= width || y >= height) return labels;
  const start = y * width + x;
  const from = labels[start]!;
  if (from === cls) return labels;
  const out = labels.slice();
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  queue[tail++] = start;
  out[start] = cls;
  while (head < tail) {
    const i = queue[head++]!;
    const px = i % width;
    const py = (i - px) / width;
    if (px > 0 && out[i - 1] === from) {
      out[i - 1] = cls;
      queue[tail++] = i - 1;
    }
    if (px < width - 1 && out[i + 1] === from) {
      out[i + 1] = cls;
      queue[tail++] = i + 1;
    }
    if (py > 0 && out[i - width] === from) {
      out[i - width] = cls;
      queue[tail++] = i - width;
    }
    if (py < height - 1 && out[i + width] === from) {
      out[i + width] = cls;
      queue[tail++] = i + width;
    }
  }
  return out;
}

/** Translates the label map by (dx, dy) pixels; uncovered pixels become background (0). */
export function shiftLabels(labels: Int32Array, g: LabelGrid, dx: number, dy: number): Int32Array {
  const { width, height } = g;
  const out = new Int32Array(width * height);
  const sx = Math.round(dx);
  const sy = Math.round(dy);
  for (let y = 0; y < height; y++) {
    const yy = y - sy;
    if (yy < 0 || yy >= height) continue;
    for (let x = 0; x < width; x++) {
      const xx = x - sx;
      if (xx < 0 || xx >= width) continue;
      out[y * width + x] = labels[yy * width + xx]!;
    }
  }
  return out;
}

/**
 * Morphological erosion (r > 0 shrinks foreground) with a disc of radius |r|: a foreground pixel keeps its class only
 * if every pixel within the disc has the same class (outside the grid counts as the same class); otherwise it becomes
 * background. Dilation (r < 0 in `morph`, or `dilateLabels`): a background pixel takes the class of the nearest
 * foreground pixel within the disc (ties: lowest class index).
 */
export function erodeLabels(labels: Int32Array, g: LabelGrid, r: number): Int32Array {
  const { width, height } = g;
  const offsets = discOffsets(r);
  const out = labels.slice();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = labels[i]!;
      if (c === 0) continue;
      for (const [ox, oy] of offsets) {
        const xx = x + ox;
        const yy = y + oy;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        if (labels[yy * width + xx] !== c) {
          out[i] = 0;
          break;
        }
      }
    }
  }
  return out;
}

export function dilateLabels(labels: Int32Array, g: LabelGrid, r: number): Int32Array {
  const { width, height } = g;
  // Offsets sorted by distance so the first foreground hit is the nearest.
  const offsets = discOffsets(r).sort((a, b) => a[0] * a[0] + a[1] * a[1] - (b[0] * b[0] + b[1] * b[1]));
  const out = labels.slice();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] !== 0) continue;
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (const [ox, oy] of offsets) {
        const d = ox * ox + oy * oy;
        if (d > bestD) break;
        const xx = x + ox;
        const yy = y + oy;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const c = labels[yy * width + xx]!;
        if (c !== 0 && (best === 0 || c < best)) {
          best = c;
          bestD = d;
        }
      }
      out[i] = best;
    }
  }
  return out;
}

function discOffsets(r: number): [number, number][] {
  const R = Math.max(0, Math.round(r));
  const rr = (R + 0.5) * (R + 0.5);
  const res: [number, number][] = [];
  for (let oy = -R; oy <= R; oy++) for (let ox = -R; ox <= R; ox++) if (ox * ox + oy * oy <= rr) res.push([ox, oy]);
  return res;
}

/** Classes present in a label map, ascending. */
export function classesPresent(labels: Int32Array): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < labels.length; i++) seen.add(labels[i]!);
  return [...seen].sort((a, b) => a - b);
}

/** Largest class index in the map (−1 when empty). */
export function maxLabel(labels: Int32Array): number {
  let m = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > m) m = labels[i]!;
  return m;
}

/** Maps every label ≥ numClasses to background. Returns the input when nothing changes. */
export function clipLabels(labels: Int32Array, numClasses: number): Int32Array {
  let out: Int32Array | null = null;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= numClasses) {
      out ??= labels.slice();
      out[i] = 0;
    }
  }
  return out ?? labels;
}

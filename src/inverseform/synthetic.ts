/**
 * Seeded synthetic training data for our InverseForm network (used by scripts/train-inverseform.ts and by
 * the test that re-measures the held-out error). Pure JS, no TF.js.
 *
 * A sample is a scene of 2–6 random objects (discs, convex polygons, rotated rectangles, thin capsules
 * 1–4 px wide), painted with class labels 1..3 over background 0 on a 32×32 tile; objects may extend past
 * the tile. (The first network was trained on 1–4 objects; on such sparse tiles a scale change is mostly
 * invisible — a brute-force chamfer search, scripts/inverseform-chamfer-bound.ts, reads scale only 22–31 %
 * better than "no scaling" there, against 55 % with 2–6 objects — so the tiles now look more like real
 * boundary maps, where several boundaries cross every tile.) The "ground truth" is the boundary map of that label map; the "prediction" is the boundary
 * map of the same scene under a known transformation about the tile centre c = (16, 16):
 *   p' = c + S (p − c) + t,   S = diag(s_x, s_y),
 * rendered exactly (each pixel centre is mapped back through the inverse transformation), so there are no
 * resampling artefacts. Half of the predictions are softened (one-hot blurred by a 3×3 box filter once or
 * twice, then scaled by an amplitude in [0.6, 1]) so that the network also sees the soft boundary maps a
 * softmax produces. The boundary operator is the one the loss uses (softBoundaryCPU below mirrors
 * src/inverseform/boundary.ts): b = min(1, ½ Σ_c [max₃ₓ₃ y_c − min₃ₓ₃ y_c]), neighbours outside the
 * image ignored; it is computed on a 34×34 render and cropped, so the tile border is not a boundary.
 *
 * Transformation distribution: 10 % identity; otherwise t_x, t_y uniform in [−8, 8] px (each 0 with
 * probability 0.2); s_x, s_y log-uniform in [0.75, 4/3] (both 1 with probability 0.3, isotropic with
 * probability 0.3). A ground-truth tile without any boundary pixel carries no information, so its target
 * is the identity.
 */
import { mulberry32 } from '../ops/random';
import { IF_SHIFT_UNIT_PX, IF_TILE } from './network';

export const SYN_MAX_SHIFT_PX = 8;
export const SYN_SCALE_RANGE: [number, number] = [0.75, 4 / 3];
/**
 * Objects per tile, inclusive range. Was 1–4 for the first network; with one or two objects that leave the
 * tile, a scale change is mostly unreadable (see the file comment), so the tiles now carry 2–6 objects.
 */
export const SYN_OBJECTS: [number, number] = [2, 6];
const NUM_LABELS = 4;

export { mulberry32 };

type Pt = [number, number];
type Obj =
  | { kind: 'disc'; cls: number; cx: number; cy: number; r: number }
  | { kind: 'poly'; cls: number; pts: Pt[] }
  | { kind: 'capsule'; cls: number; a: Pt; b: Pt; r: number };

export interface Transform {
  tx: number;
  ty: number;
  sx: number;
  sy: number;
}

function uni(rng: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

function sampleObject(rng: () => number): Obj {
  const cls = 1 + Math.floor(rng() * 3);
  const cx = uni(rng, -4, IF_TILE + 4);
  const cy = uni(rng, -4, IF_TILE + 4);
  const u = rng();
  if (u < 0.3) return { kind: 'disc', cls, cx, cy, r: uni(rng, 3, 14) };
  if (u < 0.55) {
    const n = 3 + Math.floor(rng() * 5);
    const r = uni(rng, 4, 14);
    const angles = Array.from({ length: n }, () => rng() * 2 * Math.PI).sort((a, b) => a - b);
    return {
      kind: 'poly',
      cls,
      pts: angles.map((a) => {
        const rr = r * uni(rng, 0.6, 1);
        return [cx + rr * Math.cos(a), cy + rr * Math.sin(a)] as Pt;
      }),
    };
  }
  if (u < 0.75) {
    const hw = uni(rng, 3, 12);
    const hh = uni(rng, 3, 12);
    const a = rng() * Math.PI;
    const c = Math.cos(a);
    const s = Math.sin(a);
    const corners: Pt[] = [
      [-hw, -hh],
      [hw, -hh],
      [hw, hh],
      [-hw, hh],
    ];
    return { kind: 'poly', cls, pts: corners.map(([x, y]) => [cx + c * x - s * y, cy + s * x + c * y] as Pt) };
  }
  const len = uni(rng, 10, 40);
  const a = rng() * Math.PI;
  const dx = (Math.cos(a) * len) / 2;
  const dy = (Math.sin(a) * len) / 2;
  return {
    kind: 'capsule',
    cls,
    a: [cx - dx, cy - dy],
    b: [cx + dx, cy + dy],
    r: uni(rng, 0.5, 2),
  };
}

function inside(o: Obj, x: number, y: number): boolean {
  if (o.kind === 'disc') return (x - o.cx) ** 2 + (y - o.cy) ** 2 <= o.r * o.r;
  if (o.kind === 'capsule') {
    const [ax, ay] = o.a;
    const [bx, by] = o.b;
    const vx = bx - ax;
    const vy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
    return (x - ax - t * vx) ** 2 + (y - ay - t * vy) ** 2 <= o.r * o.r;
  }
  let c = false;
  const p = o.pts;
  for (let i = 0, j = p.length - 1; i < p.length; j = i++) {
    const [xi, yi] = p[i] as Pt;
    const [xj, yj] = p[j] as Pt;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** Renders the scene on a (size+2)² grid (one pixel of margin), optionally through a transformation. */
function render(objs: Obj[], size: number, tr: Transform | null): Int32Array {
  const g = size + 2;
  const out = new Int32Array(g * g);
  const c = IF_TILE / 2;
  for (let i = 0; i < g; i++) {
    for (let j = 0; j < g; j++) {
      let x = j - 1 + 0.5;
      let y = i - 1 + 0.5;
      if (tr) {
        x = c + (x - c - tr.tx) / tr.sx;
        y = c + (y - c - tr.ty) / tr.sy;
      }
      let lab = 0;
      for (const o of objs) if (inside(o, x, y)) lab = o.cls;
      out[i * g + j] = lab;
    }
  }
  return out;
}

/** ½ Σ_c morphological gradient (3×3, out-of-image neighbours ignored), clipped to 1; input [L, g, g]. */
export function softBoundaryCPU(onehot: Float32Array, labels: number, g: number): Float32Array {
  const out = new Float32Array(g * g);
  for (let l = 0; l < labels; l++) {
    const base = l * g * g;
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < g; j++) {
        let mx = Number.NEGATIVE_INFINITY;
        let mn = Number.POSITIVE_INFINITY;
        for (let di = -1; di <= 1; di++) {
          const ii = i + di;
          if (ii < 0 || ii >= g) continue;
          for (let dj = -1; dj <= 1; dj++) {
            const jj = j + dj;
            if (jj < 0 || jj >= g) continue;
            const v = onehot[base + ii * g + jj] as number;
            if (v > mx) mx = v;
            if (v < mn) mn = v;
          }
        }
        out[i * g + j] = (out[i * g + j] as number) + 0.5 * (mx - mn);
      }
    }
  }
  for (let k = 0; k < out.length; k++) out[k] = Math.min(1, out[k] as number);
  return out;
}

function oneHot(lab: Int32Array, g: number): Float32Array {
  const y = new Float32Array(NUM_LABELS * g * g);
  for (let k = 0; k < g * g; k++) y[(lab[k] as number) * g * g + k] = 1;
  return y;
}

function boxBlur(y: Float32Array, labels: number, g: number): Float32Array {
  const out = new Float32Array(y.length);
  for (let l = 0; l < labels; l++) {
    const base = l * g * g;
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < g; j++) {
        let s = 0;
        let n = 0;
        for (let di = -1; di <= 1; di++) {
          const ii = i + di;
          if (ii < 0 || ii >= g) continue;
          for (let dj = -1; dj <= 1; dj++) {
            const jj = j + dj;
            if (jj < 0 || jj >= g) continue;
            s += y[base + ii * g + jj] as number;
            n++;
          }
        }
        out[base + i * g + j] = s / n;
      }
    }
  }
  return out;
}

function crop(b: Float32Array, g: number, size: number, into: Float32Array, offset: number, channel: number) {
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) into[offset + (i * size + j) * 2 + channel] = b[(i + 1) * g + (j + 1)] as number;
  }
}

export function sampleTransform(rng: () => number): Transform {
  if (rng() < 0.1) return { tx: 0, ty: 0, sx: 1, sy: 1 };
  const m = SYN_MAX_SHIFT_PX;
  const tx = rng() < 0.2 ? 0 : uni(rng, -m, m);
  const ty = rng() < 0.2 ? 0 : uni(rng, -m, m);
  const [lo, hi] = SYN_SCALE_RANGE;
  const ls = () => Math.exp(uni(rng, Math.log(lo), Math.log(hi)));
  const v = rng();
  if (v < 0.3) return { tx, ty, sx: 1, sy: 1 };
  const sx = ls();
  return { tx, ty, sx, sy: v < 0.6 ? sx : ls() };
}

/** θ = (2 t_x / 32, 2 t_y / 32, s_x − 1, s_y − 1): the target of the network. */
export function transformToTheta(t: Transform): [number, number, number, number] {
  return [t.tx / IF_SHIFT_UNIT_PX, t.ty / IF_SHIFT_UNIT_PX, t.sx - 1, t.sy - 1];
}

export interface Batch {
  /** [B, 32, 32, 2] channels last: [pred boundary, GT boundary]. */
  x: Float32Array;
  /** [B, 4] targets θ. */
  y: Float32Array;
  size: number;
}

/** Draws `size` samples from rng (deterministic for a given rng state); `objects`: per-tile count range. */
export function makeBatch(rng: () => number, size: number, objects: [number, number] = SYN_OBJECTS): Batch {
  const s = IF_TILE;
  const g = s + 2;
  const x = new Float32Array(size * s * s * 2);
  const y = new Float32Array(size * 4);
  for (let b = 0; b < size; b++) {
    const n = objects[0] + Math.floor(rng() * (objects[1] - objects[0] + 1));
    const objs = Array.from({ length: n }, () => sampleObject(rng));
    const tr = sampleTransform(rng);
    const gtLab = render(objs, s, null);
    const prLab = render(objs, s, tr);
    const gtB = softBoundaryCPU(oneHot(gtLab, g), NUM_LABELS, g);
    let prY = oneHot(prLab, g);
    let amp = 1;
    if (rng() < 0.5) {
      const passes = rng() < 0.5 ? 1 : 2;
      for (let k = 0; k < passes; k++) prY = boxBlur(prY, NUM_LABELS, g);
      amp = uni(rng, 0.6, 1);
    }
    const prB = softBoundaryCPU(prY, NUM_LABELS, g);
    if (amp !== 1) for (let k = 0; k < prB.length; k++) prB[k] = (prB[k] as number) * amp;
    crop(prB, g, s, x, b * s * s * 2, 0);
    crop(gtB, g, s, x, b * s * s * 2, 1);
    let gtAny = false;
    for (let i = 0; i < s * s && !gtAny; i++) gtAny = (x[b * s * s * 2 + i * 2 + 1] as number) > 0;
    const th = gtAny ? transformToTheta(tr) : [0, 0, 0, 0];
    y.set(th, b * 4);
  }
  return { x, y, size };
}

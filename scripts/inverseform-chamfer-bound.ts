// How well can ANY method read shift and scale from our synthetic InverseForm tiles? A brute-force chamfer
// search, no learning: for each held-out pair it tries every shift (1-px grid, ±8 px) and per-axis scale
// (17 log-steps over [0.75, 4/3]), refines around the best, and keeps the transformation whose mapped
// ground-truth boundary pixels land closest to the predicted boundary (and back). Its error is a reference
// point for the network's on the same tiles, not a strict bound (a cleverer matcher could do better): where
// it fails, the tile mostly does not show the transformation (an edge shifted along itself, objects leaving
// the tile, a scale change hidden by a shift).
//
//   npm run bound:inverseform -- [samples] [--objects MIN-MAX]   (default: the generator's SYN_OBJECTS)
//
// Slow (~1 s per pair on one core); README and the loss file quote its result on the first 256 held-out pairs.
import { HELDOUT_SEED } from '../src/inverseform/evaluate';
import { IF_SHIFT_UNIT_PX, IF_TILE } from '../src/inverseform/network';
import { makeBatch, mulberry32, SYN_MAX_SHIFT_PX, SYN_OBJECTS, SYN_SCALE_RANGE } from '../src/inverseform/synthetic';
import { edt } from '../src/ops/edt';

const N = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 256);
const oi = process.argv.indexOf('--objects');
const OBJECTS = (oi > 0 ? (process.argv[oi + 1] as string).split('-').map(Number) : SYN_OBJECTS) as [number, number];
const S = IF_TILE;
const C = S / 2;
const CAP = 4; // distances are capped so that one far outlier does not dominate the cost
const [LO, HI] = SYN_SCALE_RANGE;
const SCALES = Array.from({ length: 17 }, (_, k) => Math.exp(Math.log(LO) + (k / 16) * (Math.log(HI) - Math.log(LO))));

type Pt = [number, number];
type Params = [number, number, number, number]; // tx, ty (px), sx, sy

function points(x: Float32Array, base: number, channel: number, threshold: number): { pts: Pt[]; notEdge: Uint8Array } {
  const pts: Pt[] = [];
  const notEdge = new Uint8Array(S * S);
  for (let k = 0; k < S * S; k++) {
    const on = (x[base + k * 2 + channel] as number) > threshold;
    notEdge[k] = on ? 0 : 1;
    if (on) pts.push([(k % S) + 0.5, Math.floor(k / S) + 0.5]);
  }
  return { pts, notEdge };
}

function lookup(d: Float64Array, x: number, y: number): number {
  const j = Math.floor(x);
  const i = Math.floor(y);
  if (j < 0 || j >= S || i < 0 || i >= S) return -1; // mapped outside the tile: no evidence either way
  return Math.min(d[i * S + j] as number, CAP);
}

/** Symmetric mean capped chamfer distance of GT→pred under p and pred→GT under p⁻¹. */
function cost(g: Pt[], q: Pt[], dPred: Float64Array, dGt: Float64Array, [tx, ty, sx, sy]: Params): number {
  let s1 = 0;
  let n1 = 0;
  let s2 = 0;
  let n2 = 0;
  for (const [x, y] of g) {
    const v = lookup(dPred, C + sx * (x - C) + tx, C + sy * (y - C) + ty);
    if (v >= 0) {
      s1 += v;
      n1++;
    }
  }
  for (const [x, y] of q) {
    const v = lookup(dGt, C + (x - C - tx) / sx, C + (y - C - ty) / sy);
    if (v >= 0) {
      s2 += v;
      n2++;
    }
  }
  return n1 < 3 || n2 < 3 ? Number.POSITIVE_INFINITY : s1 / n1 + s2 / n2;
}

function search(g: Pt[], q: Pt[], dPred: Float64Array, dGt: Float64Array): Params {
  let best = Number.POSITIVE_INFINITY;
  let bp: Params = [0, 0, 1, 1];
  const m = SYN_MAX_SHIFT_PX;
  for (let tx = -m; tx <= m; tx++) {
    for (let ty = -m; ty <= m; ty++) {
      for (const sx of SCALES) {
        for (const sy of SCALES) {
          const v = cost(g, q, dPred, dGt, [tx, ty, sx, sy]);
          if (v < best) {
            best = v;
            bp = [tx, ty, sx, sy];
          }
        }
      }
    }
  }
  for (const step of [0.5, 0.25]) {
    for (let it = 0; it < 3; it++) {
      const [tx0, ty0, sx0, sy0] = bp;
      for (let a = -2; a <= 2; a++) {
        for (let b = -2; b <= 2; b++) {
          for (let c = -1; c <= 1; c++) {
            for (let d = -1; d <= 1; d++) {
              const p: Params = [
                tx0 + a * step,
                ty0 + b * step,
                sx0 * (1 + c * step * 0.04),
                sy0 * (1 + d * step * 0.04),
              ];
              const v = cost(g, q, dPred, dGt, p);
              if (v < best) {
                best = v;
                bp = p;
              }
            }
          }
        }
      }
    }
  }
  return bp;
}

const batch = makeBatch(mulberry32(HELDOUT_SEED), N, OBJECTS);
const err = [0, 0, 0, 0];
const base = [0, 0, 0, 0];
const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const y = Array.from(batch.y.subarray(i * 4, i * 4 + 4));
  const off = i * S * S * 2;
  const gt = points(batch.x, off, 1, 0.5);
  const pred = points(batch.x, off, 0, 0.2);
  let est = [0, 0, 0, 0];
  if (gt.pts.length > 0 && pred.pts.length > 0) {
    const [tx, ty, sx, sy] = search(gt.pts, pred.pts, edt(pred.notEdge, S, S), edt(gt.notEdge, S, S));
    est = [tx / IF_SHIFT_UNIT_PX, ty / IF_SHIFT_UNIT_PX, sx - 1, sy - 1];
  }
  for (let k = 0; k < 4; k++) {
    err[k] = (err[k] as number) + Math.abs((est[k] as number) - (y[k] as number));
    base[k] = (base[k] as number) + Math.abs(y[k] as number);
  }
}
const fmt = (v: number[]) =>
  `tx ${(((v[0] as number) / N) * IF_SHIFT_UNIT_PX).toFixed(3)} px, ty ${(((v[1] as number) / N) * IF_SHIFT_UNIT_PX).toFixed(3)} px, sx ${((v[2] as number) / N).toFixed(4)}, sy ${((v[3] as number) / N).toFixed(4)}`;
console.log(
  `chamfer search, first ${N} held-out pairs (seed ${HELDOUT_SEED}, ${OBJECTS[0]}–${OBJECTS[1]} objects per tile), ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
console.log(`  mean absolute error: ${fmt(err)}`);
console.log(`  always "identity":   ${fmt(base)}`);

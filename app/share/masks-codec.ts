// The two masks of a share link as compact bytes (before deflate):
//   labels:      run-length pairs (class byte, run length as varint), row-major.
//   prediction:  softmax probabilities quantised to 8 bits per class so that each pixel's bytes sum to 255
//                exactly (largest remainder); class 0 is implied (255 − the others) and not stored. Stored
//                planar (class 1's plane, then class 2's …), each row delta-coded against its left neighbour
//                (PNG's "Sub" filter), which turns smooth probability maps into runs deflate packs well.
// Decoding returns logits ln(max(q/255, P_MIN)); applying the same decode on both ends is what makes the
// sender's and the receiver's loss values equal.
import { P_MIN } from '../editing/grid';
import { probabilitiesFromLogits } from '../editing/prediction';
import { readVarint, writeVarint } from './bytes';

export class MaskCodecError extends Error {}

export function encodeLabelRuns(labels: Int32Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < labels.length) {
    const v = labels[i]!;
    if (v < 0 || v > 255) throw new MaskCodecError(`label ${v} does not fit in a byte`);
    let j = i + 1;
    while (j < labels.length && labels[j] === v) j++;
    out.push(v);
    writeVarint(out, j - i);
    i = j;
  }
  return Uint8Array.from(out);
}

export function decodeLabelRuns(bytes: Uint8Array, size: number, numClasses: number): Int32Array {
  const out = new Int32Array(size);
  let pos = 0;
  let p = 0;
  while (p < bytes.length) {
    const v = bytes[p++]!;
    if (v >= numClasses)
      throw new MaskCodecError(
        `the ground truth holds class ${v}, but the link has ${numClasses} classes (0–${numClasses - 1})`,
      );
    let n: number;
    try {
      [n, p] = readVarint(bytes, p);
    } catch (e) {
      throw new MaskCodecError(`the ground truth ${(e as Error).message}`);
    }
    if (n < 1 || pos + n > size)
      throw new MaskCodecError(`the ground truth covers more than the ${size} pixels of its size`);
    out.fill(v, pos, pos + n);
    pos += n;
  }
  if (pos !== size) throw new MaskCodecError(`the ground truth covers ${pos} pixels, but its size says ${size}`);
  return out;
}

/** Per pixel: q_c ≥ 0, Σ_c q_c = 255, q_c ≈ 255·p_c (largest-remainder rounding). */
export function quantiseProbabilities(probs: Float32Array, numClasses: number): Uint8Array {
  const C = numClasses;
  const out = new Uint8Array(probs.length);
  const rem = new Float64Array(C);
  for (let i = 0; i < probs.length; i += C) {
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const x = Math.max(0, probs[i + c]!) * 255;
      const f = Math.floor(x);
      out[i + c] = Math.min(255, f);
      rem[c] = x - f;
      sum += out[i + c]!;
    }
    // Hand the missing units to the largest remainders (ties: lower class first), or take from the largest bins.
    while (sum < 255) {
      let best = 0;
      for (let c = 1; c < C; c++) if (rem[c]! > rem[best]!) best = c;
      out[i + best] = out[i + best]! + 1;
      rem[best] = -1;
      sum++;
    }
    while (sum > 255) {
      let best = 0;
      for (let c = 1; c < C; c++) if (out[i + c]! > out[i + best]!) best = c;
      out[i + best] = out[i + best]! - 1;
      sum--;
    }
  }
  return out;
}

export function quantiseLogits(logits: Float32Array, numClasses: number): Uint8Array {
  return quantiseProbabilities(probabilitiesFromLogits(logits, numClasses), numClasses);
}

export function logitsFromQuantised(q: Uint8Array): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = Math.log(Math.max(q[i]! / 255, P_MIN));
  return out;
}

/** Quantised H×W×C bytes → the stored planes (classes 1..C−1, Sub-filtered rows). */
export function packPrediction(q: Uint8Array, width: number, height: number, numClasses: number): Uint8Array {
  const C = numClasses;
  const n = width * height;
  const out = new Uint8Array(n * (C - 1));
  for (let c = 1; c < C; c++) {
    const base = (c - 1) * n;
    for (let y = 0; y < height; y++) {
      let left = 0;
      for (let x = 0; x < width; x++) {
        const v = q[(y * width + x) * C + c]!;
        out[base + y * width + x] = (v - left) & 0xff;
        left = v;
      }
    }
  }
  return out;
}

export function unpackPrediction(bytes: Uint8Array, width: number, height: number, numClasses: number): Uint8Array {
  const C = numClasses;
  const n = width * height;
  if (bytes.length !== n * (C - 1))
    throw new MaskCodecError(
      `the prediction holds ${bytes.length} bytes, but ${width}×${height} with ${C} classes needs ${n * (C - 1)}`,
    );
  const q = new Uint8Array(n * C);
  for (let c = 1; c < C; c++) {
    const base = (c - 1) * n;
    for (let y = 0; y < height; y++) {
      let left = 0;
      for (let x = 0; x < width; x++) {
        left = (left + bytes[base + y * width + x]!) & 0xff;
        q[(y * width + x) * C + c] = left;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    let rest = 255;
    for (let c = 1; c < C; c++) rest -= q[i * C + c]!;
    if (rest < 0)
      throw new MaskCodecError(
        `the prediction's probabilities at pixel (${i % width}, ${Math.floor(i / width)}) sum to more than 1`,
      );
    q[i * C] = rest;
  }
  return q;
}

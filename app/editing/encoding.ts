/** Compact encodings of masks for data files: run-length labels and base64 typed arrays (browser and Node). */

export type EncodedLabels =
  | { encoding: 'rle'; data: number[] } // [value, count, value, count, ...], row-major
  | { encoding: 'base64-uint8'; data: string };

export interface EncodedFloats {
  encoding: 'base64-float32';
  data: string; // little-endian float32, row-major, channels last
}

export function rleEncode(labels: ArrayLike<number>): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < labels.length) {
    const v = labels[i]!;
    let j = i + 1;
    while (j < labels.length && labels[j] === v) j++;
    out.push(v, j - i);
    i = j;
  }
  return out;
}

export function rleDecode(rle: readonly number[], size: number): Int32Array {
  if (rle.length % 2 !== 0) throw new Error('RLE data must hold (value, count) pairs');
  const out = new Int32Array(size);
  let pos = 0;
  for (let k = 0; k < rle.length; k += 2) {
    const v = rle[k]!;
    const n = rle[k + 1]!;
    if (!Number.isInteger(v) || !Number.isInteger(n) || n < 0) throw new Error('RLE pairs must be integers');
    if (pos + n > size) throw new Error(`RLE data covers more than ${size} pixels`);
    out.fill(v, pos, pos + n);
    pos += n;
  }
  if (pos !== size) throw new Error(`RLE data covers ${pos} pixels, expected ${size}`);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encodeFloat32(values: Float32Array): EncodedFloats {
  const le = new Uint8Array(values.length * 4);
  const dv = new DataView(le.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i]!, true);
  return { encoding: 'base64-float32', data: bytesToBase64(le) };
}

export function decodeFloat32(e: EncodedFloats, size: number): Float32Array {
  const bytes = base64ToBytes(e.data);
  if (bytes.length !== size * 4) throw new Error(`expected ${size} float32 values, got ${bytes.length / 4}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

export function decodeLabels(e: EncodedLabels, size: number): Int32Array {
  if (e.encoding === 'rle') return rleDecode(e.data, size);
  if (e.encoding === 'base64-uint8') {
    const bytes = base64ToBytes(e.data);
    if (bytes.length !== size) throw new Error(`expected ${size} labels, got ${bytes.length}`);
    return Int32Array.from(bytes);
  }
  throw new Error(`unknown label encoding ${(e as { encoding: string }).encoding}`);
}

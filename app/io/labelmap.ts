/**
 * Ground-truth label maps from decoded RGBA pixels (DOM-free). The rules, in order:
 *  1. greyscale (R, G, B within ±GREY_TOLERANCE everywhere; value = their mean) and every value in {0, 255}:
 *     binary, 255 = class 1;
 *  2. greyscale with every value ≤ 7: the grey value is the class index;
 *  3. greyscale with every value ≤ 32 or ≥ 223, some ≥ 223 (a binary mask after lossy compression, e.g. JPEG):
 *     thresholded at 128;
 *  4. colour, every colour within ±PALETTE_TOLERANCE of a palette colour: that palette class;
 *  5. colour with every red value ≤ 7: the red channel is the class index;
 *  otherwise an UploadError explains what was found. The alpha channel is ignored.
 */
import { MAX_CLASSES, PALETTE } from '../editing/palette';
import { UploadError } from './errors';

export const PALETTE_TOLERANCE = 12;

export type LabelMapMode = 'binary' | 'grey-index' | 'binary-thresholded' | 'palette' | 'red-index';

export interface LabelMap {
  width: number;
  height: number;
  labels: Int32Array;
  /** max label + 1, at least 2. */
  numClasses: number;
  mode: LabelMapMode;
}

export const MODE_TEXT: Record<LabelMapMode, string> = {
  binary: 'binary mask (0 = background, 255 = class 1)',
  'grey-index': 'grey values as class indices',
  'binary-thresholded': 'near-binary mask thresholded at 128 (lossy compression?)',
  palette: 'colours matched to the palette',
  'red-index': 'red channel as class index',
};

/** Channel spread tolerated for "grey" pixels: lossy codecs (WebP, JPEG 4:2:0) tint greys slightly. */
export const GREY_TOLERANCE = 6;

/** Grey values (mean of R, G, B) if every pixel is grey within GREY_TOLERANCE, else null. */
function greyValues(rgba: Uint8ClampedArray | Uint8Array): Uint8Array | null {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    if (Math.abs(r - g) > GREY_TOLERANCE || Math.abs(r - b) > GREY_TOLERANCE || Math.abs(g - b) > GREY_TOLERANCE) {
      return null;
    }
    out[i] = r === g && g === b ? r : Math.round((r + g + b) / 3);
  }
  return out;
}

function finish(width: number, height: number, labels: Int32Array, mode: LabelMapMode): LabelMap {
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > max) max = labels[i]!;
  return { width, height, labels, numClasses: Math.max(2, max + 1), mode };
}

export function labelMapFromRGBA(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): LabelMap {
  const n = width * height;
  if (rgba.length !== n * 4)
    throw new UploadError('corrupt', `Image data has ${rgba.length} bytes, expected ${n * 4}.`);
  const labels = new Int32Array(n);
  const grey = greyValues(rgba);
  if (grey) {
    let max = 0;
    let onlyBinary = true;
    let nearBinary = true;
    for (let i = 0; i < n; i++) {
      const v = grey[i]!;
      if (v > max) max = v;
      if (v !== 0 && v !== 255) onlyBinary = false;
      if (v > 32 && v < 223) nearBinary = false;
    }
    if (onlyBinary) {
      for (let i = 0; i < n; i++) labels[i] = grey[i] === 255 ? 1 : 0;
      return finish(width, height, labels, 'binary');
    }
    if (max < MAX_CLASSES) {
      for (let i = 0; i < n; i++) labels[i] = grey[i]!;
      return finish(width, height, labels, 'grey-index');
    }
    if (nearBinary && max >= 223) {
      for (let i = 0; i < n; i++) labels[i] = grey[i]! >= 128 ? 1 : 0;
      return finish(width, height, labels, 'binary-thresholded');
    }
    throw new UploadError(
      'too-many-classes',
      `This greyscale label map has values up to ${max}. Grey values are read as class indices and at most ` +
        `${MAX_CLASSES} classes (0–${MAX_CLASSES - 1}) are supported; a binary mask must use only 0 and 255.`,
    );
  }
  // Colour: palette first.
  let paletteOk = true;
  const cache = new Map<number, number>();
  for (let i = 0; i < n && paletteOk; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    const key = (r << 16) | (g << 8) | b;
    let cls = cache.get(key);
    if (cls === undefined) {
      cls = -1;
      for (let k = 0; k < PALETTE.length; k++) {
        const [pr, pg, pb] = PALETTE[k]!.rgb;
        if (
          Math.abs(pr - r) <= PALETTE_TOLERANCE &&
          Math.abs(pg - g) <= PALETTE_TOLERANCE &&
          Math.abs(pb - b) <= PALETTE_TOLERANCE
        ) {
          cls = k;
          break;
        }
      }
      cache.set(key, cls);
    }
    if (cls < 0) paletteOk = false;
    else labels[i] = cls;
  }
  if (paletteOk) return finish(width, height, labels, 'palette');
  let maxRed = 0;
  for (let i = 0; i < n; i++) maxRed = Math.max(maxRed, rgba[i * 4]!);
  if (maxRed < MAX_CLASSES) {
    for (let i = 0; i < n; i++) labels[i] = rgba[i * 4]!;
    return finish(width, height, labels, 'red-index');
  }
  throw new UploadError(
    'bad-values',
    `This colour image is not a label map the explorer understands: its colours do not match the ${MAX_CLASSES}-colour ` +
      `palette and its red channel (up to ${maxRed}) is not a class index 0–${MAX_CLASSES - 1}.`,
  );
}

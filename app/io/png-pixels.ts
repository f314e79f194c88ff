/**
 * PNG → 8-bit RGBA with fast-png, keeping each pixel's colour whatever its alpha (the canvas path loses the colour of
 * transparent pixels). 16-bit PNGs are refused with a message rather than silently cut to 8 bits (issue 14 §1.2).
 * Returns null for layouts this reader leaves to the browser decoder (grey at 1/2/4 bits).
 */
import { convertIndexedToRgb, decode } from 'fast-png';
import { UploadError } from './errors';

export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export function pngToRGBA(bytes: Uint8Array): DecodedImage | null {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new UploadError('corrupt', `This PNG could not be decoded (${(e as Error).message}).`);
  }
  const { width, height } = png;
  if (png.depth === 16) {
    throw new UploadError(
      'bad-values',
      'This PNG stores 16 bits per channel; the explorer reads 8-bit PNGs only and will not round the values. ' +
        'Save it as an 8-bit PNG, or upload the array as a .npy file.',
    );
  }
  let src: Uint8Array;
  let channels = png.channels;
  if (png.palette) {
    src = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
  } else if (png.depth === 8) {
    src = png.data as Uint8Array;
  } else {
    return null;
  }
  const n = width * height;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    rgba[i * 4] = src[s]!;
    rgba[i * 4 + 1] = grey ? src[s]! : src[s + 1]!;
    rgba[i * 4 + 2] = grey ? src[s]! : src[s + 2]!;
    rgba[i * 4 + 3] = channels === 2 || channels === 4 ? src[s + channels - 1]! : 255;
  }
  return { width, height, rgba };
}

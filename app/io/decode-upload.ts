/**
 * Image bytes → RGBA → a label map (ground truth) or a prediction: the work the decode worker does (and the page,
 * where no worker runs). PNGs are read by fast-png at their stored values; other formats by the browser, keeping
 * the colour of transparent pixels (bitmap-pixels.ts).
 */
import { bitmapToRGBA } from './bitmap-pixels';
import { type LabelMap, labelMapFromRGBA } from './labelmap';
import { type DecodedImage, pngToRGBA } from './png-pixels';
import { type PredictionArray, predictionFromGreyRGBA } from './prediction-image';

export type UploadRole = 'target' | 'prediction';

export type DecodedUpload = { role: 'target'; map: LabelMap } | { role: 'prediction'; pred: PredictionArray };

export async function decodePixels(bytes: Uint8Array): Promise<DecodedImage> {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    const png = pngToRGBA(bytes);
    if (png) return png;
  }
  return bitmapToRGBA(new Blob([bytes.slice().buffer]));
}

export async function decodeUpload(bytes: Uint8Array, role: UploadRole): Promise<DecodedUpload> {
  const img = await decodePixels(bytes);
  if (role === 'target') return { role, map: labelMapFromRGBA(img.rgba, img.width, img.height) };
  return { role, pred: predictionFromGreyRGBA(img.rgba, img.width, img.height) };
}

/** Browser-only: decode an image file to RGBA pixels with createImageBitmap + (Offscreen)Canvas. */
import { UploadError } from './errors';

export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export async function decodeImage(blob: Blob): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    // No colour-space conversion or premultiplication: label values must come through unchanged.
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new UploadError('corrupt', 'This image could not be decoded: the file is damaged or not a PNG/JPEG/WebP.');
  }
  const { width, height } = bitmap;
  try {
    let ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (typeof OffscreenCanvas !== 'undefined') {
      ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    } else {
      const c = document.createElement('canvas');
      c.width = width;
      c.height = height;
      ctx = c.getContext('2d', { willReadFrequently: true });
    }
    if (!ctx) throw new UploadError('corrupt', 'No 2D canvas available to decode the image.');
    ctx.drawImage(bitmap, 0, 0);
    return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close();
  }
}

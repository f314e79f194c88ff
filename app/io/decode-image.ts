/** Browser-only: decode an image file to RGBA pixels with createImageBitmap + (Offscreen)Canvas. */
import { UploadError } from './errors';
import { imageHeaderSize, MAX_DECODE_PIXELS } from './image-header';
import { pngToRGBA } from './png-pixels';

export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export async function decodeImage(blob: Blob): Promise<DecodedImage> {
  // Refuse image bombs from the header, before the browser allocates width×height×4 bytes.
  const head = imageHeaderSize(new Uint8Array(await blob.slice(0, 64 * 1024).arrayBuffer()));
  if (head && head.width * head.height > MAX_DECODE_PIXELS) {
    throw new UploadError(
      'too-large',
      `The image declares ${head.width}×${head.height} px (${((head.width * head.height) / 1e6).toFixed(0)} megapixels); ` +
        `the explorer decodes at most ${MAX_DECODE_PIXELS / 1e6} megapixels. Resize it before uploading.`,
    );
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    const png = pngToRGBA(bytes);
    if (png) return png;
  }
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

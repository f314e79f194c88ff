/**
 * Browser-only: an image the browser decodes (WebP, JPEG, PNG layouts fast-png leaves to it) → 8-bit RGBA with
 * the colour of transparent pixels kept. A 2D canvas stores premultiplied alpha, so a pixel with alpha 0 comes back
 * black there; instead the unpremultiplied ImageBitmap is uploaded to a WebGL2 texture and read back with
 * readPixels (ImageBitmap uploads ignore the UNPACK_* flags: the bitmap's own `premultiplyAlpha: 'none'` decides).
 * Without WebGL2 the 2D canvas is used, and an image with any transparent pixel is refused rather than guessed.
 * Runs in the decode worker (OffscreenCanvas) and, as a fallback, on the page.
 */
import { UploadError } from './errors';
import type { DecodedImage } from './png-pixels';

type Canvas = OffscreenCanvas | HTMLCanvasElement;

function makeCanvas(width: number, height: number): Canvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

/** RGBA through WebGL2 (exact, unpremultiplied), or null when WebGL2 is missing or the image exceeds its limits. */
function readWithWebGL(bitmap: ImageBitmap): Uint8ClampedArray | null {
  const { width, height } = bitmap;
  const gl = makeCanvas(1, 1).getContext('webgl2', {
    premultipliedAlpha: false,
    antialias: false,
  }) as WebGL2RenderingContext | null;
  if (!gl) return null;
  try {
    const max = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (width > max || height > max) return null;
    const tex = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, width, height, 0, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
    const fb = gl.createFramebuffer();
    gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return null;
    const out = new Uint8ClampedArray(width * height * 4);
    gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
    // Texture row 0 is the image's first row (no flip), and readPixels starts at framebuffer row 0: same order.
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, out);
    const failed = gl.getError() !== gl.NO_ERROR;
    gl.deleteFramebuffer(fb);
    gl.deleteTexture(tex);
    return failed ? null : out;
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

function readWith2D(bitmap: ImageBitmap): Uint8ClampedArray {
  const { width, height } = bitmap;
  const ctx = makeCanvas(width, height).getContext('2d', { willReadFrequently: true }) as
    | OffscreenCanvasRenderingContext2D
    | CanvasRenderingContext2D
    | null;
  if (!ctx) throw new UploadError('corrupt', 'No canvas is available to decode the image.');
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i]! < 255) {
      throw new UploadError(
        'bad-values',
        'This image has transparent pixels, and this browser cannot read their colour exactly (no WebGL2). ' +
          'Save it without transparency, or as a PNG.',
      );
    }
  }
  return rgba;
}

export async function bitmapToRGBA(blob: Blob): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    // No colour-space conversion or premultiplication: label values must come through unchanged.
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new UploadError('corrupt', 'This image could not be decoded: the file is damaged or not a PNG/JPEG/WebP.');
  }
  try {
    const { width, height } = bitmap;
    return { width, height, rgba: readWithWebGL(bitmap) ?? readWith2D(bitmap) };
  } finally {
    bitmap.close();
  }
}

/**
 * Reads an image's width and height from its file header (PNG IHDR, JPEG SOF, WebP VP8/VP8L/VP8X) without
 * decoding, so that an "image bomb" (a tiny file declaring a huge canvas) is refused before any pixel is allocated.
 * Returns null when the header is not recognised (the decoder then reports the file as damaged).
 */
export interface HeaderSize {
  width: number;
  height: number;
}

/** Most pixels the explorer will decode at all (larger images are refused before decoding; ≤ this is downsampled). */
export const MAX_DECODE_PIXELS = 4096 * 4096;

export function imageHeaderSize(b: Uint8Array): HeaderSize | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ascii = (at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
  // PNG: 8-byte signature, then the IHDR chunk (length, "IHDR", width, height as big-endian uint32).
  if (b.length >= 24 && b[0] === 0x89 && ascii(1, 3) === 'PNG' && ascii(12, 4) === 'IHDR') {
    return { width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  // JPEG: walk the markers up to the first start-of-frame (SOF0..SOF15 except DHT C4, JPG C8, DAC CC).
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = dv.getUint8(i + 1);
      if (marker === 0xff) {
        i += 1;
        continue;
      }
      const len = dv.getUint16(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: dv.getUint16(i + 7), height: dv.getUint16(i + 5) };
      }
      i += 2 + len;
    }
    return null;
  }
  // WebP: RIFF....WEBP then a VP8 / VP8L / VP8X chunk.
  if (b.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8X') {
      const w = 1 + (dv.getUint16(24, true) | (dv.getUint8(26) << 16));
      const h = 1 + (dv.getUint16(27, true) | (dv.getUint8(29) << 16));
      return { width: w, height: h };
    }
    if (chunk === 'VP8L' && b[20] === 0x2f) {
      const bits = dv.getUint32(21, true);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
    }
    if (chunk === 'VP8 ') {
      return { width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff };
    }
  }
  return null;
}

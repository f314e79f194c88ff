import { describe, expect, it } from 'vitest';
import { imageHeaderSize, MAX_DECODE_PIXELS } from './image-header';

function png(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const dv = new DataView(b.buffer);
  dv.setUint32(16, width);
  dv.setUint32(20, height);
  return b;
}

describe('imageHeaderSize', () => {
  it('reads a PNG IHDR, so a 20,000×20,000 bomb is seen before decoding', () => {
    expect(imageHeaderSize(png(20000, 20000))).toEqual({ width: 20000, height: 20000 });
    expect(20000 * 20000).toBeGreaterThan(MAX_DECODE_PIXELS);
  });

  it('reads a JPEG SOF0 after an APP0 segment', () => {
    const b = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0x2c, 0x02, 0x58, 1, 1, 0x11, 0, 0, 0,
    ]);
    expect(imageHeaderSize(b)).toEqual({ width: 600, height: 300 });
  });

  it('reads WebP VP8X and VP8L headers', () => {
    const x = new Uint8Array(30);
    x.set(
      [...'RIFF'].map((c) => c.charCodeAt(0)),
      0,
    );
    x.set(
      [...'WEBPVP8X'].map((c) => c.charCodeAt(0)),
      8,
    );
    x.set([0x1f, 0x4e, 0x00, 0x3f, 0x9c, 0x00], 24); // 19999+1 × 39999+1
    expect(imageHeaderSize(x)).toEqual({ width: 20000, height: 40000 });
    const l = new Uint8Array(30);
    l.set(
      [...'RIFF'].map((c) => c.charCodeAt(0)),
      0,
    );
    l.set(
      [...'WEBPVP8L'].map((c) => c.charCodeAt(0)),
      8,
    );
    l[20] = 0x2f;
    new DataView(l.buffer).setUint32(21, (99 & 0x3fff) | (49 << 14), true);
    expect(imageHeaderSize(l)).toEqual({ width: 100, height: 50 });
  });

  it('returns null for unknown bytes', () => {
    expect(imageHeaderSize(new Uint8Array([1, 2, 3, 4]))).toBeNull();
  });
});

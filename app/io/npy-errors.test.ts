import { dump } from 'npyjs';
import { describe, expect, it } from 'vitest';
import { interpretNpy, parseNpy } from './npy';

describe('parseNpy error messages', () => {
  it('a truncated float32 file is reported in the user terms, not as a TypedArray error', () => {
    const full = new Uint8Array(dump(new Float32Array(16).fill(0.5), [4, 4]));
    const cut = full.slice(0, full.length - 6).buffer; // 2.5 floats short: misaligned and too short
    let message = '';
    try {
      parseNpy(cut);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/truncated or damaged/);
    expect(message).not.toMatch(/typed array|multiple of/i);
  });
});

describe('interpretNpy shapes', () => {
  it('a (1, 1, 2) array is a 1×1 image with 2 classes, not a 2×1 foreground map', () => {
    const a = interpretNpy(parseNpy(dump(new Float32Array([0.3, 0.7]), [1, 1, 2])));
    expect([a.width, a.height, a.numClasses]).toEqual([1, 1, 2]);
  });
});

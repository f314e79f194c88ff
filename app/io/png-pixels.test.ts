import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { pngToRGBA } from './png-pixels';

describe('pngToRGBA', () => {
  it('keeps the colour of fully transparent pixels', () => {
    const data = new Uint8Array([10, 20, 30, 0, 200, 100, 50, 255]);
    const out = pngToRGBA(encode({ width: 2, height: 1, data, channels: 4, depth: 8 }));
    expect([...(out?.rgba ?? [])]).toEqual([10, 20, 30, 0, 200, 100, 50, 255]);
  });

  it('keeps the grey level of transparent grey+alpha pixels', () => {
    const data = new Uint8Array([2, 0, 1, 255]);
    const out = pngToRGBA(encode({ width: 2, height: 1, data, channels: 2, depth: 8 }));
    expect([...(out?.rgba ?? [])]).toEqual([2, 2, 2, 0, 1, 1, 1, 255]);
  });

  it('refuses a 16-bit PNG instead of cutting it to 8 bits', () => {
    const data = new Uint16Array([0, 1, 2, 300]);
    const bytes = encode({ width: 2, height: 2, data, channels: 1, depth: 16 });
    expect(() => pngToRGBA(bytes)).toThrow(/16 bits per channel/);
  });
});

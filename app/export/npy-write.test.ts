import npyjs from 'npyjs';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from './npy-write';

describe('.npy writer', () => {
  it('writes int32 labels and float32 logits that npyjs reads back exactly', async () => {
    const labels = Int32Array.from({ length: 6 }, (_, i) => i % 3);
    const bytes = encodeNpy({ data: labels, dtype: '<i4' }, [1, 2, 3]);
    expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
    const parsed = new npyjs().parse(bytes.buffer.slice(0) as ArrayBuffer);
    expect(parsed.shape).toEqual([1, 2, 3]);
    expect(Array.from(parsed.data as Int32Array)).toEqual(Array.from(labels));

    const logits = Float32Array.from([0.5, -1.25, 3e-8, 7]);
    const f = new npyjs().parse(encodeNpy({ data: logits, dtype: '<f4' }, [2, 2]).buffer.slice(0) as ArrayBuffer);
    expect(f.shape).toEqual([2, 2]);
    expect(Array.from(f.data as Float32Array)).toEqual(Array.from(logits));
  });

  it('refuses a shape that does not fit the data', () => {
    expect(() => encodeNpy({ data: new Int32Array(5), dtype: '<i4' }, [2, 3])).toThrow(/needs 6 values/);
  });
});

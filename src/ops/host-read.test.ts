import { describe, expect, it, vi } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { readFloatsInto, readsFromHostMemory } from './host-read';

describeEachBackend('readFloatsInto', (backend) => {
  it('writes the values at the offset and leaves the rest of the array alone', () => {
    const t = tf.tidy(() => tf.mul(tf.tensor2d([1, -2, 3.5, 4, 5, 6], [2, 3]), 2));
    const out = new Float32Array(10).fill(-7);
    readFloatsInto(t, out, 3);
    expect(Array.from(out)).toEqual([-7, -7, -7, 2, -4, 7, 8, 10, 12, -7]);
    t.dispose();
  });

  it('copies from host memory, without dataSync (no new array), on the synchronous backends', () => {
    expect(readsFromHostMemory()).toBe(true);
    const t = tf.tidy(() => tf.add(tf.range(0, 1000, 1, 'float32'), 0.5));
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const out = new Float32Array(1000);
    readFloatsInto(t, out);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(out[0]).toBe(0.5);
    expect(out[999]).toBe(999.5);
    // a copy, not a view: later changes of the array do not reach the tensor
    out[0] = 42;
    expect(t.dataSync()[0]).toBe(0.5);
    t.dispose();
    expect(backend).toMatch(/cpu|wasm/);
  });

  it('refuses a non-float tensor and an array without room', () => {
    const i = tf.tensor1d([1, 2], 'int32');
    expect(() => readFloatsInto(i, new Float32Array(2))).toThrow(/float32/);
    const f = tf.tensor1d([1, 2, 3]);
    expect(() => readFloatsInto(f, new Float32Array(4), 2)).toThrow(/do not fit/);
    tf.dispose([i, f]);
  });
});

describe('readFloatsInto on a heap that grew', () => {
  it('reads the current heap (wasm replaces its buffer when it grows)', async () => {
    const { setNodeBackend } = await import('../testing/backends');
    const previous = tf.getBackend();
    await setNodeBackend('wasm');
    const t = tf.fill([64], 3);
    // grow the heap: a few large tensors
    const big = Array.from({ length: 4 }, () => tf.zeros([4 << 20]));
    const out = new Float32Array(64);
    readFloatsInto(t, out);
    expect(out.every((v) => v === 3)).toBe(true);
    tf.dispose([t, ...big]);
    if (previous) await tf.setBackend(previous);
  });
});

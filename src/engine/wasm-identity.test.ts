// The engine's Identity on wasm shares the data (as cpu and webgl do): no copy, same values, and memory is freed
// only when the last holder is disposed.
import { identityConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Identity.js';
import { expect, it } from 'vitest';
import { computeLoss, lossAndGrad } from '../compute';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { shareIdentityOnWasm } from './wasm-identity';

describeEachBackend('shared Identity', (backend) => {
  it('computeLoss and lossAndGrad install it', () => {
    const x = tf.tensor4d([1, -1, 0.5, 2, -3, 0, 1, 1], [1, 2, 2, 2]);
    const t = tf.tensor3d([0, 1, 1, 0], [1, 2, 2], 'int32');
    const shares = () => {
      const c = tf.clone(x);
      const same = c.dataId === x.dataId;
      c.dispose();
      return same;
    };
    const calls: (() => tf.Tensor[])[] = [
      () => [computeLoss('dice', x, t)],
      () => Object.values(lossAndGrad('dice', x, t)),
    ];
    const before = tf.memory().numTensors;
    for (const call of calls) {
      if (backend === 'wasm') {
        // TF.js's own (copying) Identity first: another test file in this worker may have installed the
        // sharing one already.
        tf.unregisterKernel('Identity', 'wasm');
        tf.registerKernel(identityConfig);
        expect(shares()).toBe(false);
      }
      tf.dispose(call());
      if (backend === 'wasm') expect(shares()).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });

  it('clones share the data, keep their values when the original goes, and free it with the last one', () => {
    shareIdentityOnWasm();
    shareIdentityOnWasm(); // idempotent
    const before = tf.memory();
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const c = tf.clone(x);
    const sameData = c.dataId === x.dataId;
    if (backend === 'wasm') expect(sameData).toBe(true);
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3, 4]);
    const d = tf.add(c, 1);
    c.dispose();
    expect(Array.from(d.dataSync())).toEqual([2, 3, 4, 5]);
    d.dispose();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
  });

  it('gradients through saved (cloned) tensors are unchanged', () => {
    shareIdentityOnWasm();
    const x = tf.tensor1d([0.5, -1, 2]);
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const v = args[0] as tf.Tensor;
      (args[1] as tf.GradSaveFunc)([v]);
      return {
        value: tf.sum(tf.square(v)),
        gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.mul(s as tf.Tensor, 2)),
      };
    });
    const g = tf.grad((v: tf.Tensor) => f(v) as tf.Scalar)(x);
    expect(Array.from(g.dataSync())).toEqual([1, -2, 4]);
    g.dispose();
    x.dispose();
  });
});

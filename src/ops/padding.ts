import { tf } from '../tf';

/**
 * Pads an NHWC tensor by one pixel on every side of axes 1 and 2, replicating the edge (PyTorch's
 * 'replicate' padding). Built from concatenated edge slices, so it is differentiable on cpu, wasm and webgl.
 */
export function replicatePad(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = tf.concat(
    [tf.slice(x, [0, 0, 0, 0], [n, 1, w, c]), x, tf.slice(x, [0, h - 1, 0, 0], [n, 1, w, c])],
    1,
  ) as tf.Tensor4D;
  return tf.concat(
    [tf.slice(rows, [0, 0, 0, 0], [n, h + 2, 1, c]), rows, tf.slice(rows, [0, 0, w - 1, 0], [n, h + 2, 1, c])],
    2,
  ) as tf.Tensor4D;
}

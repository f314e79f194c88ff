/**
 * Resizing and tiling of boundary maps to the network's 32×32 input, as InverseForm does with 224×224
 * tiles (the release resizes to 672×1344 and cuts 3×6 tiles). Here the map [N, H, W] is resized
 * bilinearly to (tilesY·32) × (tilesX·32) and cut into tilesY·tilesX tiles per image.
 *
 * The resize is a product with constant interpolation matrices, out = R_y · b · R_xᵀ (bilinear, half-pixel
 * centres, no antialiasing: PyTorch's F.interpolate(mode='bilinear', align_corners=False)), so its
 * gradient is a matMul on every backend; when the size already matches it is skipped.
 */
import { tf } from '../tf';
import { IF_TILE } from './network';

/** Row-stochastic [outSize, inSize] bilinear interpolation matrix (half-pixel centres, edge clamped). */
export function bilinearMatrix(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), inSize - 1);
    const i0 = Math.floor(src);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const f = src - i0;
    m[o * inSize + i0] = (m[o * inSize + i0] as number) + (1 - f);
    m[o * inSize + i1] = (m[o * inSize + i1] as number) + f;
  }
  return m;
}

/** Default tile grid: round(size / 32), at least 1 (so a 64×64 image gives 2×2 tiles at native scale). */
export function defaultTiles(size: number): number {
  return Math.max(1, Math.round(size / IF_TILE));
}

/** [N, H, W] → [N·tilesY·tilesX, 32, 32], tiles in row-major order per image. */
export function toTiles(b: tf.Tensor3D, tilesY: number, tilesX: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, h, w] = b.shape;
    const H = tilesY * IF_TILE;
    const W = tilesX * IF_TILE;
    let x: tf.Tensor = b;
    if (W !== w) {
      const rx = tf.tensor2d(bilinearMatrix(w, W), [W, w]);
      x = tf.reshape(tf.matMul(tf.reshape(x, [n * h, w]), rx, false, true), [n, h, W]);
    }
    if (H !== h) {
      const ry = tf.tensor2d(bilinearMatrix(h, H), [H, h]);
      const t = tf.reshape(tf.transpose(x, [0, 2, 1]), [n * W, h]);
      x = tf.transpose(tf.reshape(tf.matMul(t, ry, false, true), [n, W, H]), [0, 2, 1]);
    }
    const tiles = tf.transpose(tf.reshape(x, [n, tilesY, IF_TILE, tilesX, IF_TILE]), [0, 1, 3, 2, 4]);
    return tf.reshape(tiles, [n * tilesY * tilesX, IF_TILE, IF_TILE]) as tf.Tensor3D;
  });
}

// Trains a tiny fully convolutional segmentation network in Node with any of the 25 losses, on synthetic shapes,
// and prints the loss and the foreground Dice score per epoch. Uses the packed library (segloss-losses).
//
//   npm i segloss-losses-<version>.tgz @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 \
//         @tensorflow/tfjs-backend-wasm@4.22.0
//   node --import segloss-losses/register train.mjs --loss focal-tversky --backend wasm --epochs 5
//
// Options: --loss ID (default dice; `--loss list` prints the ids), --backend cpu|wasm, --epochs N, --steps N
// (steps per epoch), --size PX (square images), --seed N.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { computeLoss, IMPLEMENTED_LOSSES, isLossId, tf } from 'segloss-losses';
import { loadInverseFormNetFromFile } from 'segloss-losses/node';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const lossId = option('loss', 'dice');
if (lossId === 'list') {
  for (const d of IMPLEMENTED_LOSSES) console.log(`${d.id}\t${d.name}`);
  process.exit(0);
}
if (!isLossId(lossId)) {
  console.error(`unknown loss '${lossId}' (try --loss list)`);
  process.exit(2);
}
const backend = option('backend', 'cpu');
const epochs = Number(option('epochs', '5'));
const steps = Number(option('steps', '10'));
const size = Number(option('size', '32'));
let seed = Number(option('seed', '1'));

/** A small seeded generator (mulberry32), so that every run sees the same shapes. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A batch of images with 1–3 bright discs or squares on noise, and their binary label maps. */
function batch(n) {
  const images = new Float32Array(n * size * size);
  const labels = new Int32Array(n * size * size);
  for (let b = 0; b < n; b++) {
    const shapes = 1 + Math.floor(random() * 3);
    for (let s = 0; s < shapes; s++) {
      const cx = random() * size;
      const cy = random() * size;
      const r = 2 + random() * size * 0.15;
      const disc = random() < 0.5;
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const inside = disc ? (x - cx) ** 2 + (y - cy) ** 2 < r * r : Math.abs(x - cx) < r && Math.abs(y - cy) < r;
          if (inside) labels[b * size * size + y * size + x] = 1;
        }
    }
    for (let i = 0; i < size * size; i++) {
      const k = b * size * size + i;
      images[k] = (labels[k] ? 0.7 : 0.3) + (random() - 0.5) * 0.4;
    }
  }
  return {
    x: tf.tensor4d(images, [n, size, size, 1]),
    y: tf.tensor3d(labels, [n, size, size], 'int32'),
  };
}

/**
 * A 3×3 'same' convolution as nine shifted copies of the input and one matrix product. Why not tf.conv2d: the
 * wasm backend has no kernel for conv2d's weight gradient (Conv2DBackpropFilter), while pad, slice, concat and
 * matMul differentiate on every backend.
 */
function conv3x3(x, w) {
  const [n, h, wd, cin] = x.shape;
  const padded = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const taps = [];
  for (let dy = 0; dy < 3; dy++)
    for (let dx = 0; dx < 3; dx++) taps.push(tf.slice(padded, [0, dy, dx, 0], [n, h, wd, cin]));
  const patches = tf.reshape(tf.concat(taps, 3), [n * h * wd, 9 * cin]);
  return tf.reshape(tf.matMul(patches, w), [n, h, wd, w.shape[1]]);
}

/** Three 3×3 convolutions (1 → 8 → 8 → 2 channels), ReLU between them, seeded Glorot-uniform weights. */
function network() {
  const layer = (cin, cout) => {
    const limit = Math.sqrt(6 / (9 * cin + 9 * cout));
    const w = Float32Array.from({ length: 9 * cin * cout }, () => (random() * 2 - 1) * limit);
    return { w: tf.variable(tf.tensor2d(w, [9 * cin, cout])), b: tf.variable(tf.zeros([cout])) };
  };
  const layers = [layer(1, 8), layer(8, 8), layer(8, 2)];
  const forward = (x) =>
    layers.reduce((h, l, i) => {
      const z = tf.add(conv3x3(h, l.w), l.b);
      return i < layers.length - 1 ? tf.relu(z) : z;
    }, x);
  return { forward, variables: layers.flatMap((l) => [l.w, l.b]) };
}

function diceScore(logits, y) {
  return tf.tidy(() => {
    const pred = tf.cast(tf.argMax(logits, -1), 'float32');
    const t = tf.cast(y, 'float32');
    const inter = tf.sum(tf.mul(pred, t));
    return tf.div(tf.mul(2, inter), tf.add(tf.add(tf.sum(pred), tf.sum(t)), 1e-6)).dataSync()[0];
  });
}

await tf.setBackend(backend);
await tf.ready();
if (lossId === 'inverseform') await loadInverseFormNetFromFile();
const net = network();
const optimizer = tf.train.adam(0.01);
const held = batch(4);
console.log(`loss ${lossId} on ${tf.getBackend()}, ${epochs} epochs × ${steps} steps, ${size}×${size} images`);
for (let epoch = 1; epoch <= epochs; epoch++) {
  let total = 0;
  for (let s = 0; s < steps; s++) {
    const { x, y } = batch(4);
    const cost = optimizer.minimize(() => computeLoss(lossId, net.forward(x), y), true, net.variables);
    total += cost.dataSync()[0];
    tf.dispose([x, y, cost]);
  }
  const logits = net.forward(held.x);
  const dice = diceScore(logits, held.y);
  logits.dispose();
  console.log(`epoch ${epoch}  loss ${(total / steps).toFixed(4)}  dice ${dice.toFixed(3)}`);
}

import { tf } from '../tf';

let nextVersion = 1;

type Disposable = { dispose(): void };
function isDisposable(v: unknown): v is Disposable {
  return typeof v === 'object' && v !== null && typeof (v as Disposable).dispose === 'function';
}
function keepAll(v: unknown): void {
  if (v instanceof tf.Tensor) tf.keep(v);
  else if (Array.isArray(v)) for (const x of v) keepAll(x);
}

/**
 * Everything a loss may need that depends only on the ground truth: the labels on the CPU (for distance
 * transforms and boundary extraction), the one-hot tensor, and a memo of derived constants.
 *
 * A context is built once per ground-truth version and handed to every loss; editing only the prediction
 * then reuses distance maps, boundaries and class statistics. Tensors stored through `memo` are kept out of
 * any surrounding `tf.tidy` and disposed with the context.
 */
export class GroundTruthContext {
  readonly version: number;
  /** How often each memo key was computed (not served from the cache). Tests count EDT work with it. */
  readonly computeCounts = new Map<string, number>();
  private readonly cache = new Map<string, unknown>();
  private disposed = false;

  private constructor(
    /** Class index per pixel, row-major [N, H, W]. */
    readonly labels: Int32Array,
    readonly shape: readonly [number, number, number],
    readonly numClasses: number,
  ) {
    this.version = nextVersion++;
  }

  static fromLabels(labels: Int32Array, shape: readonly [number, number, number], numClasses: number) {
    const [n, h, w] = shape;
    if (labels.length !== n * h * w) {
      throw new Error(`GroundTruthContext: ${labels.length} labels do not fill shape [${shape.join(', ')}]`);
    }
    if (!Number.isInteger(numClasses) || numClasses < 1) {
      throw new Error(`GroundTruthContext: numClasses must be a positive integer, got ${numClasses}`);
    }
    for (let i = 0; i < labels.length; i++) {
      const v = labels[i] as number;
      if (v < 0 || v >= numClasses) {
        throw new Error(`GroundTruthContext: label ${v} at index ${i} is outside 0..${numClasses - 1}`);
      }
    }
    return new GroundTruthContext(labels, [n, h, w], numClasses);
  }

  /** Reads the target back from the backend once (a synchronous download). */
  static fromTensor(target: tf.Tensor, numClasses: number): GroundTruthContext {
    if (target.rank !== 3) throw new Error(`target must have shape [N, H, W], got [${target.shape.join(', ')}]`);
    const labels = Int32Array.from(target.dataSync());
    return GroundTruthContext.fromLabels(labels, target.shape as [number, number, number], numClasses);
  }

  get n() {
    return this.shape[0];
  }
  get h() {
    return this.shape[1];
  }
  get w() {
    return this.shape[2];
  }

  /** Labels of image `n` as a view (no copy). */
  image(n: number): Int32Array {
    const hw = this.h * this.w;
    return this.labels.subarray(n * hw, (n + 1) * hw);
  }

  /**
   * Returns the cached value for `key`, computing it with `make` on first use. Tensors in the result are
   * kept (survive tf.tidy) and disposed by `dispose()`. Keys should name the loss or op and every
   * parameter the value depends on, e.g. `edt:signed:trunc`.
   */
  memo<T>(key: string, make: () => T): T {
    if (this.disposed) throw new Error('GroundTruthContext used after dispose()');
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = make();
    keepAll(value);
    this.cache.set(key, value);
    this.computeCounts.set(key, (this.computeCounts.get(key) ?? 0) + 1);
    return value;
  }

  /** Float32 one-hot target [N, H, W, C] (cached). */
  oneHot(): tf.Tensor4D {
    return this.memo('one-hot', () => {
      const [n, h, w] = this.shape;
      const c = this.numClasses;
      const data = new Float32Array(n * h * w * c);
      for (let i = 0; i < this.labels.length; i++) data[i * c + (this.labels[i] as number)] = 1;
      return tf.tensor4d(data, [n, h, w, c]);
    });
  }

  /** Pixel count of each class per image: counts[n][c]. */
  classCounts(): number[][] {
    return this.memo('class-counts', () => {
      const out: number[][] = [];
      for (let n = 0; n < this.n; n++) {
        const row = new Array<number>(this.numClasses).fill(0);
        for (const v of this.image(n)) row[v] = (row[v] as number) + 1;
        out.push(row);
      }
      return out;
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const free = (v: unknown): void => {
      if (v instanceof tf.Tensor) {
        if (!v.isDisposed) v.dispose();
      } else if (Array.isArray(v)) for (const x of v) free(x);
      else if (isDisposable(v)) v.dispose();
    };
    for (const v of this.cache.values()) free(v);
    this.cache.clear();
  }
}

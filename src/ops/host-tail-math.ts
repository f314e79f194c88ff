/**
 * TailMath on the host: float64 arrays of a few numbers with reverse-mode differentiation (a tape of closures,
 * replayed backwards by `gradient`). For the small tails of ops/small-tail.ts, where a kernel launch per
 * operation cost far more than the arithmetic. Broadcasting, `maximum` and `pow` follow tf's rules (see
 * ops/tail-math.ts), so a tail gives the same numbers both ways up to float32 rounding.
 */
import type { Operand, TailMath } from './tail-math';

/** A value of the host tail: its shape, its values, and its slot in the tape's gradients. */
export class HostValue {
  constructor(
    readonly shape: readonly number[],
    readonly data: Float64Array,
    readonly id: number,
  ) {}
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The broadcast shape of two shapes (numpy rules), or an error naming both. */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`TailMath: cannot broadcast [${a}] with [${b}]`);
    out.push(Math.max(da, db));
  }
  return out;
}

/** For each element of `out`, the index of the element of `shape` broadcast onto it. */
function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array {
  const n = sizeOf(out);
  const idx = new Int32Array(n);
  const rank = out.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const axis = rank - shape.length + i;
    strides[axis] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i] as number;
  }
  for (let k = 0; k < n; k++) {
    let rest = k;
    let at = 0;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const d = out[axis] as number;
      at += (rest % d) * (strides[axis] as number);
      rest = Math.floor(rest / d);
    }
    idx[k] = at;
  }
  return idx;
}

/** tanh x and log(cosh x) in float64, accurate for small |x| and finite for large |x|. */
function logCosh64(x: number): number {
  const a = Math.abs(x);
  if (a < 1) {
    const s = Math.sinh(a / 2);
    return Math.log1p(2 * s * s);
  }
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
}

type Backward = (g: Float64Array) => void;

export class HostMath implements TailMath<HostValue> {
  private readonly values: HostValue[] = [];
  private readonly backward: (Backward | null)[] = [];
  private readonly grads: (Float64Array | null)[] = [];

  /** A value of the tail from host numbers (a differentiable input or a constant). */
  input(data: ArrayLike<number>, shape: readonly number[]): HostValue {
    if (data.length !== sizeOf(shape)) throw new Error(`TailMath: ${data.length} values for shape [${shape}]`);
    return this.record([...shape], Float64Array.from(data), null);
  }

  /** ∂out/∂of for a scalar `out` (zeros when `of` does not reach `out`). */
  gradient(out: HostValue, of: HostValue): Float64Array {
    if (out.data.length !== 1) throw new Error(`TailMath: the tail must end in a scalar, got shape [${out.shape}]`);
    this.grads.fill(null);
    this.grads[out.id] = Float64Array.of(1);
    for (let i = out.id; i > of.id; i--) {
      const g = this.grads[i];
      const back = this.backward[i];
      if (g && back) back(g);
    }
    return this.grads[of.id] ?? new Float64Array(of.data.length);
  }

  private record(shape: number[], data: Float64Array, back: Backward | null): HostValue {
    const v = new HostValue(shape, data, this.values.length);
    this.values.push(v);
    this.backward.push(back);
    this.grads.push(null);
    return v;
  }

  /** Adds `g` (shaped like v) into v's gradient. */
  private accumulate(v: HostValue, g: Float64Array): void {
    const acc = this.grads[v.id];
    if (!acc) this.grads[v.id] = g;
    else for (let i = 0; i < g.length; i++) acc[i] = (acc[i] as number) + (g[i] as number);
  }

  private of(x: Operand<HostValue>): HostValue {
    return typeof x === 'number' ? this.input([x], []) : x;
  }

  /**
   * An elementwise binary operation with broadcasting: `f` the value, `da`/`db` the partial derivatives at
   * (a, b, value).
   */
  private binary(
    xa: Operand<HostValue>,
    xb: Operand<HostValue>,
    f: (a: number, b: number) => number,
    da: (a: number, b: number, v: number) => number,
    db: (a: number, b: number, v: number) => number,
  ): HostValue {
    const a = this.of(xa);
    const b = this.of(xb);
    const shape = broadcastShape(a.shape, b.shape);
    const ia = broadcastIndex(a.shape, shape);
    const ib = broadcastIndex(b.shape, shape);
    const n = sizeOf(shape);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = f(a.data[ia[k] as number] as number, b.data[ib[k] as number] as number);
    return this.record(shape, out, (g) => {
      const ga = new Float64Array(a.data.length);
      const gb = new Float64Array(b.data.length);
      for (let k = 0; k < n; k++) {
        const [ka, kb] = [ia[k] as number, ib[k] as number];
        const [u, w, v, gk] = [a.data[ka] as number, b.data[kb] as number, out[k] as number, g[k] as number];
        ga[ka] = (ga[ka] as number) + gk * da(u, w, v);
        gb[kb] = (gb[kb] as number) + gk * db(u, w, v);
      }
      this.accumulate(a, ga);
      this.accumulate(b, gb);
    });
  }

  /** An elementwise unary operation: `f` the value, `d` the derivative at (a, value). */
  private unary(a: HostValue, f: (x: number) => number, d: (x: number, v: number) => number): HostValue {
    const out = a.data.map(f);
    return this.record([...a.shape], out, (g) => {
      this.accumulate(
        a,
        g.map((gk, k) => gk * d(a.data[k] as number, out[k] as number)),
      );
    });
  }

  add(a: Operand<HostValue>, b: Operand<HostValue>): HostValue {
    return this.binary(
      a,
      b,
      (u, w) => u + w,
      () => 1,
      () => 1,
    );
  }
  sub(a: Operand<HostValue>, b: Operand<HostValue>): HostValue {
    return this.binary(
      a,
      b,
      (u, w) => u - w,
      () => 1,
      () => -1,
    );
  }
  mul(a: Operand<HostValue>, b: Operand<HostValue>): HostValue {
    return this.binary(
      a,
      b,
      (u, w) => u * w,
      (_u, w) => w,
      (u) => u,
    );
  }
  div(a: Operand<HostValue>, b: Operand<HostValue>): HostValue {
    return this.binary(
      a,
      b,
      (u, w) => u / w,
      (_u, w) => 1 / w,
      (_u, w, v) => -v / w,
    );
  }
  neg(a: HostValue): HostValue {
    return this.unary(
      a,
      (x) => -x,
      () => -1,
    );
  }
  log(a: HostValue): HostValue {
    return this.unary(a, Math.log, (x) => 1 / x);
  }
  log1p(a: HostValue): HostValue {
    return this.unary(a, Math.log1p, (x) => 1 / (1 + x));
  }
  exp(a: HostValue): HostValue {
    return this.unary(a, Math.exp, (_x, v) => v);
  }
  pow(a: HostValue, e: number | readonly number[]): HostValue {
    if (typeof e === 'number')
      return this.unary(
        a,
        (x) => x ** e,
        (x) => e * x ** (e - 1),
      );
    return this.binary(
      a,
      this.constant(e),
      (u, w) => u ** w,
      (u, w) => w * u ** (w - 1),
      () => 0,
    );
  }
  maximum(a: HostValue, floor: number): HostValue {
    return this.unary(
      a,
      (x) => Math.max(x, floor),
      (x) => (x >= floor ? 1 : 0),
    );
  }
  logCosh(a: HostValue): HostValue {
    return this.unary(a, logCosh64, (x) => Math.tanh(x));
  }
  ratio(e: HostValue, s: HostValue): HostValue {
    return this.binary(
      e,
      s,
      (u, w) => u / (u + w),
      (u, w) => w / (u + w) / (u + w),
      (u, w) => -u / (u + w) / (u + w),
    );
  }
  mean(a: HostValue): HostValue {
    const n = a.data.length;
    return this.div(this.sum(a), n);
  }
  sum(a: HostValue, axis?: number): HostValue {
    if (axis === undefined) {
      const total = a.data.reduce((s, x) => s + x, 0);
      return this.record([], Float64Array.of(total), (g) => {
        this.accumulate(a, new Float64Array(a.data.length).fill(g[0] as number));
      });
    }
    const ax = axis < 0 ? a.shape.length + axis : axis;
    const shape = a.shape.filter((_, i) => i !== ax);
    const kept = a.shape.map((d, i) => (i === ax ? 1 : d));
    // each input element's output slot (the output, with the summed axis kept as 1, broadcast back onto a)
    const into = broadcastIndex(kept, a.shape);
    const out = new Float64Array(sizeOf(shape));
    for (let k = 0; k < a.data.length; k++)
      out[into[k] as number] = (out[into[k] as number] as number) + (a.data[k] as number);
    return this.record(shape, out, (g) => {
      this.accumulate(
        a,
        Float64Array.from(into, (j) => g[j] as number),
      );
    });
  }
  unstack(a: HostValue): HostValue[] {
    const [n, ...rest] = a.shape;
    const m = sizeOf(rest);
    return Array.from({ length: n ?? 0 }, (_, i) =>
      this.record([...rest], a.data.slice(i * m, (i + 1) * m), (g) => {
        const full = new Float64Array(a.data.length);
        full.set(g, i * m);
        this.accumulate(a, full);
      }),
    );
  }
  select(a: HostValue, classes: readonly number[]): HostValue {
    const c = a.shape[a.shape.length - 1] as number;
    if (classes.length === c && classes.every((k, i) => k === i)) return a;
    const rows = a.data.length / c;
    const m = classes.length;
    const out = new Float64Array(rows * m);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < m; j++) out[r * m + j] = a.data[r * c + (classes[j] as number)] as number;
    return this.record([...a.shape.slice(0, -1), m], out, (g) => {
      const full = new Float64Array(a.data.length);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < m; j++) {
          const at = r * c + (classes[j] as number);
          full[at] = (full[at] as number) + (g[r * m + j] as number);
        }
      this.accumulate(a, full);
    });
  }
  constant(values: readonly number[], shape?: number[]): HostValue {
    return this.input(values, shape ?? [values.length]);
  }
}

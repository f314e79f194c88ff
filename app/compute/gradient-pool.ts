// The compute engine's gradient arrays, reused: the page gives back the arrays of results it no longer shows
// (gradient-recycler.ts), and the next update writes its gradients into them instead of into new ones.
//
// Why: the engine hands every update's gradients to the page in fresh arrays (25 × H × W × C floats: 13 MB at
// 256², C = 2), and in Chromium a fresh array of megabytes costs page faults on first write: ≈ 35–45 ms of an
// update of all 25 losses at 256² on the 2-core machine, about a third of it (src/ops/host-read.ts). Reused
// arrays cost only the copy. On webgl the one read-back makes its own array and the pool stays unused.

/** At most this many bytes wait in the pool (beyond, given-back arrays are left to the garbage collector). */
export const GRADIENT_POOL_MAX_BYTES = 64 << 20;

export class GradientPool {
  /** Free arrays by length in floats, most recently given back last. */
  private free = new Map<number, ArrayBuffer[]>();
  private bytes = 0;
  /** Arrays handed out again, and arrays made new (tests, the stats). */
  readonly counts = { reused: 0, made: 0 };

  constructor(private readonly maxBytes = GRADIENT_POOL_MAX_BYTES) {}

  /** An array of exactly `floats` floats: a given-back one when there is one, else a new one. */
  take(floats: number): Float32Array {
    const list = this.free.get(floats);
    const buffer = list?.pop();
    if (buffer) {
      this.bytes -= buffer.byteLength;
      if (list?.length === 0) this.free.delete(floats);
      this.counts.reused++;
      return new Float32Array(buffer);
    }
    this.counts.made++;
    return new Float32Array(floats);
  }

  /** Takes back arrays the page no longer uses (detached or oversized ones are ignored). */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) {
      if (b.byteLength === 0 || b.byteLength % 4 !== 0 || this.bytes + b.byteLength > this.maxBytes) continue;
      const floats = b.byteLength / 4;
      const list = this.free.get(floats);
      if (list) list.push(b);
      else this.free.set(floats, [b]);
      this.bytes += b.byteLength;
    }
  }

  /**
   * Drops the arrays whose length is not a multiple of `unit` floats (one gradient of the current grid): after a
   * change of grid or class count they would only hold memory.
   */
  retainMultiplesOf(unit: number): void {
    for (const [floats, list] of this.free) {
      if (floats % unit === 0) continue;
      for (const b of list) this.bytes -= b.byteLength;
      this.free.delete(floats);
    }
  }

  /** Bytes waiting in the pool. */
  size(): number {
    return this.bytes;
  }
}

// Gives the compute engine back the gradient arrays of results that left the store, so that later updates write
// into them instead of into fresh arrays (gradient-pool.ts says why that matters).
//
// Safety: an array moves to the worker (detached here), or on the page's own thread is overwritten, so it must
// not be read again. Components read gradients only from the store's current results, and what they keep (the
// heatmaps' channels and thumbnails) is derived into arrays of their own. An array is therefore given back only
// when no result in the store refers to it any more, and only after it has been out of the store for
// RECYCLE_AFTER_MS: long past React's view gate (at most 120 ms) and the render and effects that follow.

/** How long an array must have been out of the store before it goes back to the engine (ms). */
export const RECYCLE_AFTER_MS = 250;

type Grad = Float32Array | null | undefined;

export class GradientRecycler {
  /** Arrays out of the store, and since when. */
  private waiting = new Map<ArrayBuffer, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** Arrays given back so far (tests, the stats). */
  given = 0;

  constructor(
    /** The gradients of the results in the store now. */
    private readonly current: () => Iterable<Grad>,
    private readonly giveBack: (buffers: ArrayBuffer[]) => void,
    private readonly afterMs = RECYCLE_AFTER_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The store's results changed from `before` to the current ones: what left the store starts waiting. */
  changed(before: Iterable<Grad>): void {
    if (this.stopped) return;
    const kept = buffersOf(this.current());
    const t = this.now();
    for (const b of buffersOf(before)) if (!kept.has(b) && !this.waiting.has(b)) this.waiting.set(b, t);
    this.schedule();
  }

  /** Gives back the arrays that waited long enough and that no result in the store refers to. */
  sweep(): void {
    if (this.stopped) return;
    const used = buffersOf(this.current());
    const t = this.now();
    const out: ArrayBuffer[] = [];
    for (const [b, since] of this.waiting) {
      if (b.byteLength === 0 || used.has(b)) this.waiting.delete(b);
      else if (t - since >= this.afterMs) {
        out.push(b);
        this.waiting.delete(b);
      }
    }
    if (out.length > 0) {
      this.given += out.length;
      this.giveBack(out);
    }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.waiting.clear();
  }

  private schedule(): void {
    if (this.timer !== null || this.waiting.size === 0 || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sweep();
    }, this.afterMs);
  }
}

/** The plain (transferable) array buffers behind some gradients. */
function buffersOf(grads: Iterable<Grad>): Set<ArrayBuffer> {
  const out = new Set<ArrayBuffer>();
  for (const g of grads) if (g && g.buffer instanceof ArrayBuffer && g.buffer.byteLength > 0) out.add(g.buffer);
  return out;
}

// Latest wins, where the maths runs: every live update carries the version of the state it belongs to, and
// the page announces newer versions as soon as they exist. A request whose version is older than the newest
// announced one is dropped before it starts and abandoned at the next loss boundary.
//
// How the announcement reaches a running request: a message, which the worker reads only when it yields between
// two losses (a task hop per loss: ≈ 30 per update, a few ms of the worker's ≈ 25 at 64²); or, on a cross-origin
// isolated page, a shared board (one Int32 in a SharedArrayBuffer) that the page writes as it announces and the
// worker reads at every loss boundary without yielding, yielding then only every few ms for its other messages.

/** Thrown (and sent back as `superseded: true`) when a newer state replaced the request's. */
export class SupersededError extends Error {
  readonly superseded = true;
  constructor(state: number, latest: number) {
    super(`state ${state} was superseded by ${latest}`);
    this.name = 'SupersededError';
  }
}

export function isSuperseded(e: unknown): boolean {
  return e instanceof SupersededError || (typeof e === 'object' && e !== null && 'superseded' in e);
}

export class LatestGate {
  private latest = 0;

  /** A newer state exists (from a supersede message or a compute request). */
  note(state: number): void {
    if (state > this.latest) this.latest = state;
  }

  newest(): number {
    return this.latest;
  }

  /** Throws SupersededError when `state` is older than the newest announced state. */
  check(state: number): void {
    if (state < this.latest) throw new SupersededError(state, this.latest);
  }

  /**
   * Awaited before every loss: yields (so that queued messages such as a supersede are handled first), then
   * checks that the request's state is still the newest.
   */
  checkpoint(state: number, yieldNow: () => Promise<void>): () => Promise<void> {
    return async () => {
      await yieldNow();
      this.check(state);
    };
  }

  /**
   * The same with a shared board (see makeLatestBoard): reads the newest state from it and checks at every loss
   * boundary, and yields only at the first call and then when `everyMs` have passed since the last yield (the
   * worker's other messages: recycled arrays, heartbeats).
   */
  sharedCheckpoint(
    state: number,
    board: Int32Array,
    yieldNow: () => Promise<void>,
    everyMs: number,
    now: () => number = () => performance.now(),
  ): () => Promise<void> {
    let lastYield = Number.NEGATIVE_INFINITY;
    return async () => {
      if (now() - lastYield >= everyMs) {
        await yieldNow();
        lastYield = now();
      }
      this.note(Atomics.load(board, 0));
      this.check(state);
    };
  }
}

/** How often a request checked through a shared board still yields to the worker's messages (ms). */
export const SHARED_YIELD_EVERY_MS = 8;

/**
 * A board for the newest state, shared by the page and the worker: only where SharedArrayBuffer may be used (a
 * cross-origin isolated page); null elsewhere, where the supersede message alone announces it.
 */
export function makeLatestBoard(): Int32Array | null {
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (typeof SharedArrayBuffer === 'undefined' || g.crossOriginIsolated !== true) return null;
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Writes a newer state on the board (never an older one). */
export function announceOnBoard(board: Int32Array, state: number): void {
  for (;;) {
    const cur = Atomics.load(board, 0);
    if (state <= cur || Atomics.compareExchange(board, 0, cur, state) === cur) return;
  }
}

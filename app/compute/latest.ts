// Latest wins, where the maths runs: every live update carries the version of the state it belongs to, and
// the page announces newer versions as soon as they exist. A request whose version is older than the newest
// announced one is dropped before it starts and abandoned at the next loss boundary.

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
}

/**
 * What React sees of the store, and when: the store's own listeners (the compute bridge, autosave, share link)
 * hear every change at once; React's subscriptions go through this gate, which can hold them back for a few
 * milliseconds so that an edit and its focused loss's value reach the screen in the same frame.
 *
 * Why: on an edit, the page used to render the new masks with every value marked stale, paint that frame
 * (20–30 ms of style, layout and paint on the 2-core machine), and only then take the focused value from the
 * compute worker, which had it after 5–10 ms: the value waited behind a frame of stale markers. Held, the edit
 * task only posts the request; the worker's reply arrives while the page is idle; one render shows the new
 * masks, the focused value and the others marked stale. The screen is never inconsistent meanwhile: it shows
 * the previous masks with their own values until then.
 *
 * A hold is asked for by a predicate on each change (set by the bridge: a mask edit, and the focused loss was
 * fast lately), never for changes made through form controls (a controlled input must re-render in the
 * event that changed it), and always ends after `maxMs` even if the value does not come.
 *
 * The bridge may also hold React for the rest of an update (holdFor): once the focused value is on screen, the
 * other groups land while React waits, and the table fills in one render instead of one render and frame per
 * group, which on two cores also took CPU from the worker computing the next group. Any change other than a
 * result landing (an edit, a click) ends that hold at once, so input never waits for it.
 */
import type { StoreApi } from 'zustand';

type Listener = () => void;

export class ViewGate<T> {
  private readonly listeners = new Set<Listener>();
  private held = false;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private predicate: ((state: T, prev: T) => boolean) | null = null;
  /** While a hold begun by holdFor runs: the changes that end it at once. */
  private breaks: ((state: T, prev: T) => boolean) | null = null;
  /**
   * Holds begun by the predicate (`holds`) and by holdFor (`fills`), and how many of each ended by their time
   * limit (for the stats and tests).
   */
  readonly counts = { holds: 0, timedOut: 0, fills: 0, fillsTimedOut: 0 };

  /** The store as React should subscribe to it (getState stays the live state). */
  readonly view: StoreApi<T>;

  constructor(
    api: StoreApi<T>,
    readonly maxMs: number,
  ) {
    api.subscribe((state, prev) => this.onChange(state, prev));
    this.view = {
      getState: api.getState,
      getInitialState: api.getInitialState,
      setState: api.setState,
      subscribe: (listener) => {
        const l = () => listener(api.getState(), api.getState());
        this.listeners.add(l);
        return () => this.listeners.delete(l);
      },
    };
  }

  /** Which changes begin a hold (null: none). The predicate runs before React hears of the change. */
  holdWhen(predicate: ((state: T, prev: T) => boolean) | null): void {
    this.predicate = predicate;
  }

  /** Whether React's subscribers are being held back now. */
  isHeld(): boolean {
    return this.held;
  }

  /**
   * Holds React back now, for at most `ms` (a no-op while held): what lands meanwhile renders in one go at the
   * release. A change that `breaks` picks ends this hold at once (it is then handled as any change is).
   */
  holdFor(ms: number, breaks: (state: T, prev: T) => boolean): void {
    if (this.held) return;
    this.begin(ms, 'fillsTimedOut');
    this.counts.fills++;
    this.breaks = breaks;
  }

  /** Lets React see the store now (what changed meanwhile renders in one go). */
  release(): void {
    if (!this.held) return;
    this.held = false;
    this.breaks = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending) {
      this.pending = false;
      this.notify();
    }
  }

  private begin(ms: number, late: 'timedOut' | 'fillsTimedOut'): void {
    this.held = true;
    this.pending = false;
    this.timer = setTimeout(() => {
      this.counts[late]++;
      this.release();
    }, ms);
  }

  private onChange(state: T, prev: T): void {
    if (this.breaks?.(state, prev)) {
      // ends a holdFor without telling React yet: this change decides (a new hold, or a notify now)
      this.held = false;
      this.breaks = null;
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.held && this.predicate?.(state, prev)) {
      this.begin(this.maxMs, 'timedOut'); // a hold never extends itself: while edits keep coming, the screen updates every maxMs
      this.counts.holds++;
    }
    if (this.held) this.pending = true;
    else this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

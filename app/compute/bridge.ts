// The bridge store → engine → results. Edits only replace typed arrays in the store (cheap, on the pointer
// path); the maths runs in the compute worker (see host.ts). The schedule keeps the screen honest:
// - every change of the inputs bumps `stateVersion` at once, so whatever is shown from an older state is
//   marked stale until its replacement lands;
// - no waiting: a change sends its request at once, inside the store update (before React re-renders the
//   stale markers, so the engine computes while the page paints them); changes that land while a request is
//   in flight are coalesced into the next one, for the newest state;
// - latest wins: one request is in flight at a time, and a newer state is announced to the engine at once
//   (host.supersede), which drops an older state's request before it starts or abandons it at the next loss
//   boundary; the bridge never sends a request for a state that is no longer the newest;
// - focused first: one streamed request, the focused loss first and posted alone the moment it is read back
//   (value + heatmap), then the compared losses and the rest in groups of BATCH, each posted as it is done,
//   without waiting for the page (no round trip per group), and each applied as it lands;
// - "Δ since edit" compares with the state before the edit (edit-log.ts), not with the previous update;
// - on WebGL, a loss's first request at a grid size compiles its shaders (TF.js bakes the shapes into them:
//   shape uniforms stay off, tfjs#6478), so the focused loss then goes alone and the page says "preparing WebGL…".
import type { LossId } from '../../src';
import { probabilitiesFromLogits } from '../editing/prediction';
import { errorMessage } from '../messages';
import { type AppState, useStore, viewGate } from '../store';
import type { LossResultView, ResultState } from '../store/results';
import { EditLog } from './edit-log';
import type { ComputeReply } from './engine-core';
import { GradientRecycler, RECYCLE_AFTER_MS } from './gradient-recycler';
import type { ComputeHost } from './host';
import { isSuperseded } from './latest';
import { lossOrder } from './loss-order';

/** Losses per read-back group of the streamed request after the focused one (see ComputeRequest.partialEvery). */
export const BATCH = 4;

/**
 * An edit holds React's view of the store (app/store/view-gate.ts) until its focused value lands when the focused
 * loss last took at most this long in the engine at the same size: then the value usually comes within the
 * gate's limit, and the edit, its value and the stale marks of the rest show in one frame.
 */
export const HOLD_IF_FOCUSED_MS = 8;

/**
 * After the focused value shows, React's view is held again while the rest stream in when, last time at the same
 * size, the rest took at most REST_HOLD_IF_MS from the focused value to the last group: each group's render and
 * frame cost the page's thread more (20–30 ms on the 2-core machine) than the worker needs for the whole rest at
 * 64², and on two cores the page's frames slow the worker down. The table then fills in one render; the hold
 * ends at the last group, after REST_HOLD_MAX_MS, or at any change that is not a result landing.
 */
export const REST_HOLD_IF_MS = 100;
export const REST_HOLD_MAX_MS = 120;

export interface Bridge {
  /** Resolves when every enabled loss is current (or the update failed); computes what is missing now. */
  flush(): Promise<void>;
  /**
   * Recomputes everything (backend switched) or only `ids` (weights loaded); not an edit: Δ keeps its
   * baseline. Resolves like flush().
   */
  recompute(ids?: LossId[]): Promise<void>;
  /** Drops every cached tensor (before a backend switch). */
  dropTensors(): Promise<void>;
  stop(): void;
}

export interface BridgeOptions {
  /**
   * When the pump starts after a change (default: at once, synchronously; tests pass a microtask). Changes
   * made while a request is in flight are coalesced anyway: the next request is for the newest state.
   */
  frame?: (run: () => void) => void;
  /** How long a gradient array must be out of the store before it goes back to the engine (gradient-recycler.ts). */
  recycleAfterMs?: number;
}

/** The gradients of the results in the store (views into the arrays the engine filled). */
function gradsOf(results: AppState['results']): (Float32Array | null)[] {
  return Object.values(results).map((r) => r?.grad ?? null);
}

function valueInputsOf(s: AppState) {
  return [s.target, s.logits, s.params, s.numClasses, s.width, s.height] as const;
}

function changed(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.some((v, i) => v !== b[i]);
}

/**
 * The next request for the state in the store: every missing loss, streamed, the focused one first and posted
 * alone (see ComputeRequest.firstAlone). Where losses still compile their WebGL shaders (`cold`), the focused loss
 * goes alone, so that only its shaders are compiled before its value shows.
 */
export function nextBatch(s: AppState, cold: (ids: LossId[]) => boolean = () => false): LossId[] {
  const missing = lossOrder(s).filter((id) => s.results[id]?.version !== s.stateVersion);
  if (missing[0] === s.focusedLoss && missing.length > 1 && cold(missing)) return [s.focusedLoss];
  return missing;
}

export function startBridge(host: ComputeHost, options: BridgeOptions = {}): Bridge {
  const frame = options.frame ?? ((run: () => void) => run());
  let version = useStore.getState().stateVersion + 1;
  const edits = new EditLog(version);
  let inputs = valueInputsOf(useStore.getState());
  let enabled = useStore.getState().enabled;
  let inflight: number | null = null;
  let announced = 0;
  let failed: number | null = null;
  let running: Promise<void> | null = null;
  let scheduled = false;
  let paused = false;
  let stopped = false;
  let update: { version: number; t0: number; engineMs: number } | null = null;
  let shown: (ResultState & { logits: Float32Array }) | null = null;
  /** The focused loss, size and class count whose value last came back fast (see HOLD_IF_FOCUSED_MS). */
  let fastFocus: string | null = null;
  /** The same, for the rest of the update after the focused value (see REST_HOLD_IF_MS). */
  let fastRest: string | null = null;
  const focusKey = (s: AppState) => `${s.focusedLoss} ${s.width}x${s.height}x${s.numClasses}`;
  /** The backend whose compiled shaders `compiled` lists, as `loss WxHxC` (shapeKey). */
  let compiledOn: unknown = null;
  const compiled = new Set<string>();
  const shapeKey = (s: AppState, id: LossId) => `${id} ${s.width}x${s.height}x${s.numClasses}`;

  function bump(change: 'edit' | 'same-values' | 'recompute', gesture: unknown): void {
    const prev = version;
    version++;
    edits.bump(prev, version, change, gesture);
    edits.prune(inflight === null ? [version] : [version, inflight]);
    failed = null;
    useStore.getState().updateResults((cur) => ({
      stateVersion: version,
      // Switching a loss on or off changes no value: what was current stays current.
      results: change === 'same-values' ? restamp(cur.results, prev, version) : cur.results,
    }));
    if (inflight !== null && announced < version) {
      announced = version;
      host.supersede(version);
    }
  }

  function resultState(s: AppState): ResultState {
    if (shown && shown.logits === s.logits && shown.target === s.target && shown.numClasses === s.numClasses)
      return shown;
    shown = {
      width: s.width,
      height: s.height,
      numClasses: s.numClasses,
      probabilities: probabilitiesFromLogits(s.logits, s.numClasses),
      target: s.target,
      logits: s.logits,
    };
    return shown;
  }

  /** The last version whose first results landed (`updates` counts states shown, from their focused value). */
  let counted = 0;

  function apply(v: number, s: AppState, asked: LossId[], reply: ComputeReply): void {
    const state = resultState(s);
    const first = v > counted;
    counted = Math.max(counted, v);
    const landed = new Map(reply.results.map((r) => [r.id, r]));
    useStore.getState().updateResults((cur) => {
      const results = { ...cur.results };
      for (const id of asked) {
        const r = landed.get(id);
        const old = results[id];
        if (old && old.version > v) continue; // never replace a newer state's value with an older one
        edits.record(v, id, r?.value ?? null);
        const view: LossResultView = {
          value: r?.value ?? null,
          previous: edits.previous(v, id),
          version: v,
          state,
          error: r ? r.error : 'the engine returned no result for this loss',
          nonFinite: r?.nonFinite ?? false,
          grad: r?.grad ?? null,
          ms: r?.ms ?? 0,
        };
        results[id] = view;
      }
      const complete = v === version && lossOrder(cur).every((id) => results[id]?.version === v);
      const done = complete && update?.version === v ? update : null;
      return {
        results,
        probabilities: state.probabilities,
        resultShape: { width: state.width, height: state.height, numClasses: state.numClasses },
        computeError: null,
        updates: first ? cur.updates + 1 : cur.updates,
        // Tensor counts after a complete update only: mid-way, the ground-truth context holds only the
        // constants of the losses computed so far, which is no leak.
        ...(complete ? { numTensors: reply.numTensors, gpuBytes: reply.gpuBytes } : {}),
        // Lessons read answers only once every enabled loss belongs to the inputs on screen.
        ...(complete
          ? { resultInputs: { target: s.target, logits: s.logits, params: s.params, enabled: s.enabled } }
          : {}),
        ...(done ? { lastUpdateMs: performance.now() - done.t0, engineMs: done.engineMs } : {}),
      };
    });
  }

  /**
   * Whether some of `ids` compile shaders in their next request: their first on this WebGL backend at this grid
   * size and class count (no side effect, unlike compilesShaders).
   */
  function isCold(s: AppState, ids: LossId[]): boolean {
    return (
      s.backend?.name === 'webgl' && (s.backend !== compiledOn || ids.some((id) => !compiled.has(shapeKey(s, id))))
    );
  }

  /** Whether `batch` compiles shaders on WebGL (see isCold); resets what was compiled when the backend changed. */
  function compilesShaders(s: AppState, batch: LossId[]): boolean {
    if (s.backend !== compiledOn) {
      compiledOn = s.backend;
      compiled.clear();
    }
    return isCold(s, batch);
  }

  function plan(): LossId[] {
    const s = useStore.getState();
    if (stopped || paused || s.backendStatus !== 'ready' || failed === version) return [];
    return nextBatch(s, (ids) => isCold(s, ids));
  }

  async function runBatch(batch: LossId[]): Promise<void> {
    // Nothing is awaited before the request is posted (no microtask hop that would let a pending React render
    // run first). A cold WebGL batch compiles its shaders while it computes; the page says so meanwhile.
    const cold = compilesShaders(useStore.getState(), batch);
    let settled = false;
    // a microtask later: a store change from inside the pump would re-enter it (the bridge's own subscription)
    if (cold) queueMicrotask(() => settled || useStore.getState().setPreparing('preparing WebGL…'));
    const s = useStore.getState();
    const v = version;
    if (update?.version !== v) update = { version: v, t0: performance.now(), engineMs: 0 };
    const { width, height, numClasses, target, logits, targetVersion } = s;
    inflight = v;
    announced = Math.max(announced, v); // the request itself tells the engine about its state
    const landed = new Set<LossId>();
    let focusedAt: number | null = null;
    const take = (reply: ComputeReply, ids: LossId[], last: boolean) => {
      if (update?.version === v) update.engineMs += reply.engineMs;
      for (const id of ids) compiled.add(shapeKey(s, id));
      apply(v, s, ids, reply);
      if (ids[0] === s.focusedLoss && batch[0] === s.focusedLoss) {
        // the focused value's own group (posted alone): how long it took decides whether the next edit waits for it
        if (ids.length === 1) fastFocus = reply.engineMs <= HOLD_IF_FOCUSED_MS ? focusKey(s) : null;
        if (v === version) viewGate.release();
        if (ids.length === 1 && !last) {
          focusedAt = performance.now();
          if (v === version && fastRest === focusKey(s))
            viewGate.holdFor(REST_HOLD_MAX_MS, (next, prev) => next.results === prev.results);
        }
      }
      if (last) {
        if (focusedAt !== null) fastRest = performance.now() - focusedAt <= REST_HOLD_IF_MS ? focusKey(s) : null;
        if (v === version) viewGate.release();
      }
    };
    try {
      const reply = await host.compute(
        {
          width,
          height,
          numClasses,
          targetVersion,
          state: v,
          target: host.needsTarget(targetVersion, width, height, numClasses) ? target : null,
          logits,
          requests: batch.map((id) => ({ id, params: s.params[id] ?? {} })),
          ...(batch.length > 1 ? { partialEvery: BATCH, firstAlone: batch[0] === s.focusedLoss } : {}),
        },
        (part) => {
          const ids = part.results.map((r) => r.id).filter((id) => batch.includes(id) && !landed.has(id));
          for (const id of ids) landed.add(id);
          take(part, ids, false);
        },
      );
      take(
        reply,
        batch.filter((id) => !landed.has(id)),
        true,
      );
    } catch (e) {
      if (!isSuperseded(e)) {
        viewGate.release();
        failed = v;
        const t0 = update.t0;
        useStore.getState().updateResults((cur) => ({
          updates: cur.updates + 1,
          lastUpdateMs: performance.now() - t0,
          computeError: errorMessage(e),
        }));
      }
    } finally {
      inflight = null;
      settled = true;
      if (cold) useStore.getState().setPreparing(null);
    }
    prefetch();
  }

  /** The next request, posted by the batch before it (see prefetch), for the pump's loop to await. */
  let posted: Promise<void> | null = null;

  /**
   * Posts the next request right after a reply was applied, synchronously: the engine computes it while
   * React re-renders what just landed (that render is a queued microtask, which an `await` would let run
   * first).
   */
  function prefetch(): void {
    const batch = plan();
    if (batch.length > 0) posted = runBatch(batch);
  }

  function pump(): Promise<void> {
    if (running) return running;
    // With work to do, the loop awaits at least once (its first request), so `running` is set before it ends;
    // the first request is posted synchronously, from here.
    if (plan().length === 0) return Promise.resolve();
    const loop = (async () => {
      try {
        for (;;) {
          const next = posted ?? (plan().length > 0 ? runBatch(plan()) : null);
          posted = null;
          if (!next) break;
          await next;
        }
      } finally {
        running = null;
      }
    })();
    running = loop;
    return loop;
  }

  function schedule(): void {
    if (scheduled || stopped) return;
    scheduled = true;
    frame(() => {
      scheduled = false;
      if (!stopped) void pump();
    });
  }

  // Gradient arrays of results that left the store go back to the engine for later updates to fill.
  const recycler = new GradientRecycler(
    () => gradsOf(useStore.getState().results),
    (buffers) => host.recycle(buffers),
    options.recycleAfterMs ?? RECYCLE_AFTER_MS,
  );
  const unsubscribeRecycling = useStore.subscribe((s, prev) => {
    if (s.results !== prev.results) recycler.changed(gradsOf(prev.results));
  });

  const unsubscribe = useStore.subscribe((s) => {
    const next = valueInputsOf(s);
    if (changed(next, inputs)) {
      inputs = next;
      enabled = s.enabled;
      bump('edit', s.gestureBase);
      schedule();
    } else if (s.enabled !== enabled) {
      enabled = s.enabled;
      bump('same-values', s.gestureBase);
      schedule();
    } else if (s.backendStatus === 'ready' && plan().length > 0) schedule(); // focus moved, backend ready …
  });
  useStore.getState().setStateVersion(version);
  schedule();
  viewGate.holdWhen((s, prev) => holdForFocused(s, prev));

  /**
   * Whether this change should wait for its focused value before React shows it (app/store/view-gate.ts): an
   * edit of the masks (never a form control's change: parameters, grid size, classes), the focused loss first
   * in line, and its value came back fast at this size last time.
   */
  function holdForFocused(s: AppState, prev: AppState): boolean {
    return (
      !stopped &&
      !paused &&
      (s.logits !== prev.logits || s.target !== prev.target) &&
      s.params === prev.params &&
      s.width === prev.width &&
      s.height === prev.height &&
      s.numClasses === prev.numClasses &&
      s.backendStatus === 'ready' &&
      fastFocus === focusKey(s) &&
      lossOrder(s)[0] === s.focusedLoss &&
      !isCold(s, [s.focusedLoss])
    );
  }

  async function flush(): Promise<void> {
    for (;;) {
      if (running) await running;
      else if (plan().length > 0) await pump();
      else return;
    }
  }

  return {
    flush,
    recompute(ids) {
      if (!ids) bump('recompute', null);
      else
        useStore.getState().updateResults((cur) => {
          const results = { ...cur.results };
          for (const id of ids) {
            const r = results[id];
            if (r?.version === version) results[id] = { ...r, version: -1 };
          }
          return { results };
        });
      return flush();
    },
    async dropTensors() {
      paused = true;
      try {
        if (running) await running;
        await host.drop();
      } finally {
        paused = false;
      }
    },
    stop() {
      stopped = true;
      unsubscribe();
      unsubscribeRecycling();
      recycler.stop();
      viewGate.holdWhen(null);
      viewGate.release();
    },
  };
}

function restamp(results: AppState['results'], from: number, to: number): Partial<Record<LossId, LossResultView>> {
  const out: Partial<Record<LossId, LossResultView>> = {};
  for (const [id, r] of Object.entries(results) as [LossId, LossResultView][])
    out[id] = r.version === from ? { ...r, version: to } : r;
  return out;
}

/** Whether a loss's result on screen belongs to the state now in the store. */
export function isCurrent(s: Pick<AppState, 'results' | 'stateVersion'>, id: LossId): boolean {
  return s.results[id]?.version === s.stateVersion;
}

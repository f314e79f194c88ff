// The compute bridge's schedule with a fake host (no TF.js): latest wins, focused first, stale versions,
// and "Δ since edit" per edit (a whole stroke, a derivation), not per intermediate update.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LossId } from '../../src';
import { useStore, viewGate } from '../store';
import { defaultSettings } from '../store/settings';
import { BATCH, type Bridge, HOLD_IF_FOCUSED_MS, REST_HOLD_IF_MS, startBridge } from './bridge';
import type { ComputeReply, ComputeRequest, OnPartial } from './engine-core';
import type { ComputeHost } from './host';
import { SupersededError } from './latest';
import { currentCount, lossOrder } from './loss-order';

/** Each loss's value is logits[0] + its index in the request, so tests control it through the masks. */
class FakeHost implements ComputeHost {
  thread = 'worker' as const;
  /** Every request the bridge sent, in order. */
  sent: { state: number; ids: LossId[]; logits0: number; firstAlone: boolean }[] = [];
  /** Requests that ran (a request whose state was superseded before it started is dropped, as the engine does). */
  ran: { state: number; ids: LossId[] }[] = [];
  superseded: number[] = [];
  hold = false;
  /** The engine time each reply reports (the bridge holds an edit's view only after a fast focused value). */
  engineMs = 1;
  private latest = 0;
  private held: { run: () => void }[] = [];

  init = async () => ({ precision: 'float32', variant: null });
  needsTarget = () => false;
  drop = async () => {};
  status = async () => ({
    backend: 'fake',
    numTensors: 0,
    jitWarmUp: null,
    gradientArrays: { reused: 0, made: 0 },
    latestBoard: false,
  });
  /** Gradient arrays the bridge gave back (recycle). */
  recycled: ArrayBuffer[] = [];
  recycle(buffers: ArrayBuffer[]) {
    this.recycled.push(...buffers);
  }
  /** Give each group's results gradients that share one array, as the engine does (off: grad null). */
  gradients = false;
  probeRenderer = async () => null;
  loadInverseForm = async () => {};
  cancelLandscape = async () => {};
  race = async (): Promise<never> => {
    throw new Error('no race in this fake');
  };
  cancelRace = async () => {};
  metrics = async (): Promise<never> => {
    throw new Error('no metrics in this fake');
  };
  landscape = async () => {
    throw new Error('not used');
  };
  supersede(state: number) {
    this.superseded.push(state);
    this.latest = Math.max(this.latest, state);
  }
  /** Groups of a streamed request posted through onPartial (ids), in order. */
  partials: LossId[][] = [];
  /** Called after each partial post (a test can edit there, as a user would while the rest computes). */
  afterPartial: (() => void) | null = null;
  compute(req: ComputeRequest, onPartial?: OnPartial): Promise<ComputeReply> {
    const ids = req.requests.map((r) => r.id);
    this.sent.push({ state: req.state, ids, logits0: req.logits[0] as number, firstAlone: req.firstAlone === true });
    this.latest = Math.max(this.latest, req.state);
    const reply = (part: LossId[]): ComputeReply => {
      const shared = this.gradients ? new Float32Array(part.length * req.logits.length) : null;
      return {
        results: part.map((id, k) => ({
          id,
          value: (req.logits[0] as number) + ids.indexOf(id),
          error: null,
          nonFinite: false,
          grad: shared ? shared.subarray(k * req.logits.length, (k + 1) * req.logits.length) : null,
          ms: 1,
        })),
        engineMs: this.engineMs,
        numTensors: 0,
        gpuBytes: null,
        backend: 'fake',
      };
    };
    return new Promise((resolve, reject) => {
      const run = () => {
        // As the engine: groups of partialEvery (the first alone with firstAlone), a superseded state stops at
        // the next group boundary.
        const size = onPartial && req.partialEvery ? req.partialEvery : ids.length;
        const alone = size < ids.length && req.firstAlone === true;
        for (let i = 0; ; ) {
          if (req.state < this.latest) return reject(new SupersededError(req.state, this.latest));
          const end = i === 0 && alone ? 1 : i + size;
          const part = ids.slice(i, end);
          i = end;
          if (end >= ids.length) {
            this.ran.push({ state: req.state, ids });
            return resolve(reply(part));
          }
          this.partials.push(part);
          onPartial?.(reply(part));
          this.afterPartial?.();
        }
      };
      if (this.hold) this.held.push({ run });
      else queueMicrotask(run);
    });
  }
  /** Lets the held requests run (in order). */
  release() {
    this.hold = false;
    for (const h of this.held.splice(0)) h.run();
  }
  heldCount() {
    return this.held.length;
  }
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

function setLogit0(v: number) {
  const l = useStore.getState().logits.slice();
  l[0] = v;
  useStore.getState().setLogits(l);
}

describe('compute bridge', () => {
  let host: FakeHost;
  let bridge: Bridge;

  beforeEach(() => {
    useStore.setState({ ...defaultSettings(), results: {}, backendStatus: 'ready', backend: null, preparing: null });
    setLogit0(0);
    host = new FakeHost();
    bridge = startBridge(host, { frame: (run) => queueMicrotask(run) });
  });
  afterEach(() => bridge.stop());

  it('computes the focused loss alone first, then the compared losses and the rest streamed in groups', async () => {
    useStore.getState().setFocusedLoss('tversky');
    await bridge.flush();
    host.sent = [];
    host.partials = [];
    setLogit0(7);
    await bridge.flush();
    const s = useStore.getState();
    const order = lossOrder(s);
    // one streamed request per update, no round trip to the page: the focused loss posted alone, then groups
    expect(host.sent.length).toBe(1);
    expect(host.sent[0]?.ids).toEqual(order);
    expect(host.sent[0]?.ids[0]).toBe('tversky');
    expect(host.sent[0]?.firstAlone).toBe(true);
    expect(host.partials[0]).toEqual(['tversky']);
    expect(host.partials.length).toBe(Math.ceil((order.length - 1) / BATCH));
    expect(host.partials.slice(1).every((p) => p.length === BATCH)).toBe(true);
    // The compared losses (small multiples) come right after the focused one.
    const compared = s.multiples.filter((id) => id !== 'tversky');
    expect(
      host.sent
        .flatMap((r) => r.ids)
        .slice(1, 1 + compared.length)
        .sort(),
    ).toEqual([...compared].sort());
    expect(order.every((id) => s.results[id]?.version === s.stateVersion)).toBe(true);
    expect(s.updates).toBeGreaterThan(0);
  });

  it('holds React back from an edit until its focused value lands, when that value came fast last time', async () => {
    await bridge.flush(); // the focused value came back in 1 ms
    const heard: { version: number; focusedVersion: number | undefined; logit0: number }[] = [];
    const unsubscribe = viewGate.view.subscribe(() => {
      const s = useStore.getState();
      heard.push({ version: s.stateVersion, focusedVersion: s.results[s.focusedLoss]?.version, logit0: s.logits[0]! });
    });
    try {
      host.hold = true;
      setLogit0(4);
      expect(viewGate.isHeld()).toBe(true);
      expect(heard).toEqual([]); // React has not seen the edit
      host.release();
      await tick();
      // React first hears of the edit together with its focused value (the rest are still stale)
      const v = useStore.getState().stateVersion;
      expect(heard[0]).toEqual({ version: v, focusedVersion: v, logit0: 4 });
      expect(viewGate.isHeld()).toBe(false);
      await bridge.flush();
      // a parameter change (a form control) is never held
      useStore.getState().setParam('dice', 'smooth', 0.5);
      expect(viewGate.isHeld()).toBe(false);
      await bridge.flush();
      // a slow focused value: the next edit shows at once, stale
      host.engineMs = HOLD_IF_FOCUSED_MS + 1;
      setLogit0(5);
      await bridge.flush();
      heard.length = 0;
      setLogit0(6);
      expect(viewGate.isHeld()).toBe(false);
      expect(heard[0]?.logit0).toBe(6); // heard inside the edit itself
    } finally {
      unsubscribe();
    }
  });

  it('marks every value stale at once on an edit, and current again when it lands', async () => {
    await bridge.flush();
    const before = useStore.getState().stateVersion;
    setLogit0(1);
    const s = useStore.getState();
    expect(s.stateVersion).toBeGreaterThan(before);
    expect(lossOrder(s).every((id) => s.results[id]?.version === before)).toBe(true);
    await bridge.flush();
    const t = useStore.getState();
    expect(lossOrder(t).every((id) => t.results[id]?.version === t.stateVersion)).toBe(true);
  });

  it('never sends or runs a request of a superseded state, and tells the engine at once', async () => {
    await bridge.flush();
    host.sent = [];
    host.ran = [];
    host.hold = true;
    setLogit0(1); // state A
    await tick(); // the frame runs: A's request (the focused loss first) is sent and held
    expect(host.sent.map((r) => r.ids[0])).toEqual(['dice']);
    const a = host.sent[0]?.state as number;
    setLogit0(2); // state B replaces A while A's request is in flight
    setLogit0(3); // state C replaces B before anything was sent for B
    const c = useStore.getState().stateVersion;
    expect(host.superseded.at(-1)).toBe(c);
    host.release();
    await bridge.flush();
    // A's request was dropped by the engine (superseded before it ran); nothing of A or B was sent after it.
    expect(host.ran.some((r) => r.state === a)).toBe(false);
    expect(host.sent.slice(1).every((r) => r.state === c)).toBe(true);
    expect(host.sent[1]?.ids[0]).toBe('dice');
    expect(useStore.getState().results.dice?.value).toBe(3);
  });

  it('abandons the rest of a superseded update (no later batch of the old state)', async () => {
    await bridge.flush();
    host.sent = [];
    setLogit0(1);
    await tick();
    await tick(); // focused and maybe one batch have landed
    const old = useStore.getState().stateVersion;
    const sentForOld = host.sent.length;
    expect(sentForOld).toBeLessThan(lossOrder(useStore.getState()).length);
    setLogit0(2);
    await bridge.flush();
    expect(host.sent.slice(sentForOld + 1).every((r) => r.state > old)).toBe(true);
    // Only a request already on its way can belong to the old state.
    expect(host.sent.filter((r) => r.state === old).length).toBeLessThanOrEqual(sentForOld + 1);
  });

  it('after the focused value, holds React back while the rest streams in when the rest came fast last time', async () => {
    await bridge.flush(); // the rest came back at once
    const heard: number[] = [];
    const unsubscribe = viewGate.view.subscribe(() => heard.push(currentCount(useStore.getState())));
    const heldAfterGroup: boolean[] = [];
    host.afterPartial = () => heldAfterGroup.push(viewGate.isHeld());
    const all = lossOrder(useStore.getState()).length;
    try {
      setLogit0(4);
      await bridge.flush();
      // React hears the edit with its focused value, then the whole table at once
      expect(heard).toEqual([1, all]);
      expect(heldAfterGroup.length).toBeGreaterThan(2);
      expect(heldAfterGroup.every((held) => held)).toBe(true);
      expect(viewGate.isHeld()).toBe(false);

      // any change that is not a result landing ends that hold at once (here a parameter, mid-stream)
      heard.length = 0;
      let groups = 0;
      host.afterPartial = () => {
        if (++groups === 2) {
          useStore.getState().setParam('dice', 'smooth', 0.25);
          heldAfterGroup.push(viewGate.isHeld());
        }
      };
      heldAfterGroup.length = 0;
      setLogit0(5);
      await bridge.flush();
      expect(heldAfterGroup).toEqual([false]);
      // React heard: the edit with its focused value; the change at once (one group had landed), its stale marks;
      // then the new state's focused value, and its rest at once
      expect(heard).toEqual([1, 1 + BATCH, 0, 1, all]);
    } finally {
      unsubscribe();
    }
  });

  it('does not hold the rest back when last time it took longer than REST_HOLD_IF_MS', async () => {
    let clock = 1000;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      host.afterPartial = () => {
        clock += REST_HOLD_IF_MS; // the rest after the focused group takes longer than the limit
      };
      setLogit0(1);
      await bridge.flush();
      const heldAfterGroup: boolean[] = [];
      host.afterPartial = () => heldAfterGroup.push(viewGate.isHeld());
      setLogit0(4);
      await bridge.flush();
      expect(heldAfterGroup.length).toBeGreaterThan(2);
      expect(heldAfterGroup.every((held) => !held)).toBe(true);
    } finally {
      now.mockRestore();
    }
  });

  it('applies each streamed group as it lands, before the request ends', async () => {
    await bridge.flush();
    const seen: number[] = [];
    host.afterPartial = () => {
      const s = useStore.getState();
      seen.push(lossOrder(s).filter((id) => s.results[id]?.version === s.stateVersion).length);
    };
    setLogit0(4);
    await bridge.flush();
    // the focused loss (1) is current before anything else runs, then each group of BATCH before the next
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).toEqual(seen.map((_, i) => (i === 0 ? 1 : 1 + BATCH * i)));
    const s = useStore.getState();
    expect(s.results[lossOrder(s)[1] as LossId]?.value).toBe(5); // index 1 in the streamed request
  });

  it('an edit during a stream keeps the landed groups (marked stale) and runs no later group of the old state', async () => {
    await bridge.flush();
    let edited = false;
    let staleAfterEdit: (number | null | undefined)[] = [];
    let firstGroup: LossId[] = [];
    host.afterPartial = () => {
      if (edited || host.partials.length < 2) return; // after the first group behind the focused loss
      edited = true;
      setLogit0(9); // the user edits while the first group is on screen
      const s = useStore.getState();
      staleAfterEdit = firstGroup.map((id) =>
        s.results[id]?.version === s.stateVersion ? null : s.results[id]?.value,
      );
    };
    host.ran = [];
    host.partials = [];
    setLogit0(5);
    const five = useStore.getState().stateVersion;
    firstGroup = lossOrder(useStore.getState()).slice(1, 1 + BATCH);
    await bridge.flush();
    expect(host.ran.some((r) => r.state === five && r.ids.length > 1)).toBe(false); // the stream was abandoned
    const s = useStore.getState();
    expect(s.stateVersion).toBeGreaterThan(five);
    expect(lossOrder(s).every((id) => s.results[id]?.version === s.stateVersion && s.results[id]?.value !== null)).toBe(
      true,
    );
    // right after the edit the landed group still showed the old state's values (stale, not current) …
    expect(staleAfterEdit).toEqual(firstGroup.map((_, i) => 6 + i));
    // … and the new state's values replaced them
    expect(firstGroup.every((id) => (s.results[id]?.value as number) >= 9)).toBe(true);
  });

  it('gives the engine back the gradient arrays of results that left the store, never one still in it', async () => {
    bridge.stop();
    host.gradients = true;
    bridge = startBridge(host, { frame: (run) => queueMicrotask(run), recycleAfterMs: 0 });
    const arraysIn = () => {
      const r = useStore.getState().results;
      return new Set(Object.values(r).map((x) => x?.grad?.buffer));
    };
    await bridge.flush();
    const first = arraysIn();
    expect(first.size).toBe(1 + Math.ceil((lossOrder(useStore.getState()).length - 1) / BATCH));
    setLogit0(3);
    await bridge.flush();
    await new Promise((r) => setTimeout(r, 5));
    // every array of the first update came back once, and none of those shown now
    expect(new Set(host.recycled)).toEqual(first);
    expect(host.recycled.length).toBe(first.size);
    for (const b of arraysIn()) expect(host.recycled).not.toContain(b);
    // an array that still backs one shown result stays (part of a group replaced by a superseded update)
    host.recycled = [];
    const group = lossOrder(useStore.getState()).slice(1, 1 + BATCH); // one read-back group: one array
    const shared = useStore.getState().results[group[0] as LossId]?.grad?.buffer;
    expect(group.every((id) => useStore.getState().results[id]?.grad?.buffer === shared)).toBe(true);
    const dropGrad = (ids: LossId[]) =>
      useStore.getState().updateResults((cur) => {
        const results = { ...cur.results };
        for (const id of ids) results[id] = { ...(results[id] as NonNullable<(typeof results)[LossId]>), grad: null };
        return { results };
      });
    dropGrad(group.slice(0, -1));
    await new Promise((r) => setTimeout(r, 5));
    expect(host.recycled).toEqual([]);
    dropGrad(group.slice(-1));
    await new Promise((r) => setTimeout(r, 5));
    expect(host.recycled).toEqual([shared]);
  });

  it('by default posts the focused request inside the edit itself, without waiting for a frame', async () => {
    bridge.stop();
    bridge = startBridge(host);
    await bridge.flush();
    host.sent = [];
    setLogit0(6);
    // Sent synchronously by the store update: before any microtask (e.g. React's re-render) could run.
    expect(host.sent.map((r) => r.ids[0])).toEqual(['dice']);
    expect(host.sent[0]?.state).toBe(useStore.getState().stateVersion);
    await bridge.flush();
    expect(useStore.getState().results.dice?.value).toBe(6);
  });

  it('on WebGL before its shaders are compiled, sends the focused loss alone, so that only they compile first', async () => {
    useStore.setState({ backend: { name: 'webgl' } as never });
    host.sent = [];
    setLogit0(8);
    await bridge.flush();
    expect(host.sent[0]?.ids).toEqual(['dice']);
    expect(host.sent[1]?.ids[0]).not.toBe('dice');
    // compiled now: the next edit is one streamed request again
    host.sent = [];
    setLogit0(9);
    await bridge.flush();
    expect(host.sent.length).toBe(1);
    expect(host.sent[0]?.firstAlone).toBe(true);
  });

  it('Δ since edit spans a whole stroke, not the last intermediate update', async () => {
    setLogit0(10);
    await bridge.flush();
    const s = useStore.getState();
    s.beginGesture();
    for (const v of [10.5, 11, 11.5, 12]) {
      setLogit0(v);
      await bridge.flush(); // intermediate updates during the stroke
      expect(useStore.getState().results.dice?.previous).toBe(10); // dice is focused: index 0
    }
    useStore.getState().endGesture();
    await bridge.flush();
    const r = useStore.getState().results;
    expect(r.dice?.value).toBe(12);
    expect(r.dice?.previous).toBe(10);
    // The next edit (a derivation-like replacement, outside any gesture) is compared with the stroke's end.
    setLogit0(13);
    await bridge.flush();
    expect(useStore.getState().results.dice?.previous).toBe(12);
    // A second stroke starts its own baseline.
    useStore.getState().beginGesture();
    setLogit0(14);
    await bridge.flush();
    setLogit0(15);
    await bridge.flush();
    useStore.getState().endGesture();
    expect(useStore.getState().results.dice?.previous).toBe(13);
  });

  it('switching a loss off changes no value: current results stay current and keep their Δ', async () => {
    setLogit0(1);
    await bridge.flush();
    setLogit0(2);
    await bridge.flush();
    const sent = host.sent.length;
    useStore.getState().setEnabled('focal', false);
    const s = useStore.getState();
    expect(s.results.dice?.version).toBe(s.stateVersion);
    expect(s.results.dice?.previous).toBe(1);
    await bridge.flush();
    expect(host.sent.length).toBe(sent); // nothing to recompute
    // Its value is still that of the masks on screen: switched back on, it is current without a request.
    useStore.getState().setEnabled('focal', true);
    await bridge.flush();
    expect(host.sent.length).toBe(sent);
    expect(useStore.getState().results.focal?.version).toBe(useStore.getState().stateVersion);
    // An edit while it is off leaves it stale; switched on, only it is computed.
    useStore.getState().setEnabled('focal', false);
    setLogit0(3);
    await bridge.flush();
    const before = host.sent.length;
    useStore.getState().setEnabled('focal', true);
    await bridge.flush();
    expect(host.sent.slice(before).flatMap((r) => r.ids)).toEqual(['focal']);
  });

  it('recompute() is not an edit: Δ keeps its baseline', async () => {
    setLogit0(1);
    await bridge.flush();
    setLogit0(4);
    await bridge.flush();
    await bridge.recompute();
    const r = useStore.getState().results.dice;
    expect(r?.previous).toBe(1);
    expect(r?.version).toBe(useStore.getState().stateVersion);
  });

  it("on WebGL with the page's synchronous frame, the first request is posted once (no re-entry through the store)", async () => {
    bridge.stop();
    useStore.setState({ backendStatus: 'starting', backend: null });
    bridge = startBridge(host); // the default frame runs the pump synchronously, inside the store's subscription
    host.sent = [];
    // the backend gets ready: the bridge's subscription starts the first request right there
    useStore.getState().backendReady({ name: 'webgl' } as never);
    await bridge.flush();
    expect(host.sent.map((r) => r.ids[0])).toEqual(['dice', lossOrder(useStore.getState())[1]]);
    expect(useStore.getState().computeError).toBeNull();
    expect(useStore.getState().preparing).toBeNull();
  });

  it('on WebGL, says "preparing WebGL…" while a loss is first computed at a grid size, and never waits for a warm-up', async () => {
    useStore.setState({
      backend: {
        name: 'webgl',
        precision: 'float32',
        variant: null,
        reason: 'test',
        renderer: null,
        failures: [],
        thread: 'worker',
      },
    });
    /** Runs the held requests one by one, noting what the page said while each was computing. */
    const said = async () => {
      const out: (string | null)[] = [];
      for (let i = 0; i < 20; i++) {
        await tick();
        if (host.heldCount() === 0) break;
        out.push(useStore.getState().preparing);
        host.release();
        host.hold = true;
      }
      host.hold = false;
      return out;
    };
    host.sent = [];
    host.hold = true;
    const done = bridge.recompute();
    // the real requests compile the shaders (TF.js bakes the shapes into them): no separate warm-up input
    expect(await said()).toEqual(['preparing WebGL…', 'preparing WebGL…']);
    await done;
    expect(host.sent.map((r) => r.ids[0])).toEqual(['dice', lossOrder(useStore.getState())[1]]);
    expect(host.sent.flatMap((r) => r.ids).sort()).toEqual([...lossOrder(useStore.getState())].sort());
    expect(useStore.getState().preparing).toBeNull();
    // compiled at this size: an edit is one streamed request, and the page says nothing about WebGL
    host.sent = [];
    host.hold = true;
    setLogit0(5);
    expect(await said()).toEqual([null]);
    await bridge.flush();
    expect(host.sent.map((r) => [r.ids[0], r.firstAlone])).toEqual([['dice', true]]);
    // another grid size compiles other shaders: the focused loss goes alone again, and the page says why
    host.sent = [];
    host.hold = true;
    useStore.getState().setGridSize(32);
    expect(await said()).toEqual(['preparing WebGL…', 'preparing WebGL…']);
    await bridge.flush();
    expect(host.sent[0]?.ids).toEqual(['dice']);
    expect(useStore.getState().preparing).toBeNull();
  });
});

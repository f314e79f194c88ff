// The background JIT warm-up (jit-warm-up.ts): it evaluates every loss the page shows the set number of times on
// its own small example, keeps no tensor, never steps while the engine is busy or being called, and runs only
// where it applies (in EngineCore: the worker's engine on WASM).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LossRequest, tf } from '../../src';
import { setNodeBackend } from '../../src/testing';
import { EngineCore } from './engine-core';
import { JIT_WARM_UP, JitWarmUp, type JitWarmUpOptions } from './jit-warm-up';

const PAGE: LossRequest[] = [{ id: 'dice' }, { id: 'cross-entropy', params: {} }, { id: 'iou' }];

function warmUp(o: Partial<JitWarmUpOptions> = {}) {
  return new JitWarmUp({ rounds: 2, idleMs: 2, side: 8, maxMs: 60_000, applies: () => true, busy: () => false, ...o });
}

/** Resolves once `done()` holds (polled every 5 ms), or fails after `ms`. */
async function until(done: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!done()) {
    if (Date.now() - t0 > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JitWarmUp', () => {
  beforeAll(async () => {
    await setNodeBackend('cpu');
  });

  it('evaluates each loss the page shows `rounds` times and keeps no tensor', async () => {
    const w = warmUp();
    expect(w.status()).toBeNull(); // nothing to warm before the first update
    const tensors = tf.memory().numTensors;
    w.afterUpdate(PAGE, 2);
    expect(w.status()).toEqual({ done: 0, of: 6, ms: 0, finished: false });
    await until(() => w.status()?.done === 6);
    await sleep(20);
    expect(w.status()?.done).toBe(6); // and then stops
    expect(w.status()?.ms).toBeGreaterThan(0);
    expect(w.status()?.finished).toBe(true);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('stops after maxMs of engine time on a slow device', async () => {
    const w = warmUp({ rounds: 1000, maxMs: 30 });
    w.afterUpdate(PAGE, 2);
    await until(() => w.status()?.finished === true);
    const s = w.status();
    expect(s?.done).toBeLessThan(s?.of ?? 0);
    expect(s?.ms).toBeGreaterThanOrEqual(30);
    await sleep(30);
    expect(w.status()?.done).toBe(s?.done);
  });

  it('adds the losses of later updates, and starts over for another class count', async () => {
    const w = warmUp({ rounds: 1 });
    w.afterUpdate(PAGE.slice(0, 1), 2);
    await until(() => w.status()?.done === 1);
    w.afterUpdate(PAGE.slice(1), 2);
    expect(w.status()?.of).toBe(3);
    await until(() => w.status()?.done === 3);
    w.afterUpdate(PAGE.slice(0, 2), 4); // another class count: another example, other code paths
    expect(w.status()).toMatchObject({ done: 0, of: 2 });
    await until(() => w.status()?.done === 2);
  });

  it('takes no step while the engine is busy, nor while it keeps being called', async () => {
    let busy = true;
    const w = warmUp({ idleMs: 20, busy: () => busy });
    w.afterUpdate(PAGE, 2);
    await sleep(60);
    expect(w.status()?.done).toBe(0);
    const calls = setInterval(() => w.touch(), 2); // a call every 2 ms: never 20 ms of quiet
    await sleep(5);
    busy = false;
    await sleep(60);
    expect(w.status()?.done).toBe(0);
    clearInterval(calls);
    await until(() => w.status()?.done === 6);
  });

  it('does nothing where it does not apply', async () => {
    let applies = false;
    const w = warmUp({ applies: () => applies });
    w.afterUpdate(PAGE, 2);
    expect(w.status()).toBeNull();
    await sleep(30);
    applies = true;
    expect(w.status()?.done).toBe(0);
  });
});

describe('EngineCore JIT warm-up', () => {
  const W = 8;
  const request = {
    width: W,
    height: W,
    numClasses: 2,
    targetVersion: 1,
    state: 1,
    target: new Int32Array(W * W).map((_, i) => (i % W > 3 ? 1 : 0)),
    logits: new Float32Array(W * W * 2).map((_, i) => (i % 3) - 1),
    requests: PAGE,
  };
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await setNodeBackend('wasm');
  });
  afterAll(async () => {
    await setNodeBackend(previous as 'cpu');
  });

  it('runs in the worker’s engine on WASM after an update, and reports its progress', async () => {
    const core = new EngineCore();
    core.metricsIdleMs = 0;
    expect(core.status().jitWarmUp).toBeNull();
    await core.compute(request);
    expect(core.status().jitWarmUp).toBeNull(); // off unless the host turns it on (the page's own thread does not)
    core.jitWarmUpEnabled = true;
    const tensors = tf.memory().numTensors;
    await core.compute({ ...request, state: 2 });
    expect(core.status().jitWarmUp?.of).toBe(JIT_WARM_UP.rounds * PAGE.length);
    await until(() => (core.status().jitWarmUp?.done ?? 0) >= 6, 20_000);
    // a live update goes first: the warm-up stops at its next step and the reply is the update's own
    const reply = await core.compute({ ...request, state: 3 });
    expect(reply.results.map((r) => r.id)).toEqual(PAGE.map((r) => r.id));
    await until(() => core.status().jitWarmUp?.finished === true, 60_000);
    expect(tf.memory().numTensors).toBe(tensors);
    core.drop();
  }, 90_000);

  it('does not run on other backends', async () => {
    await setNodeBackend('cpu');
    const core = new EngineCore();
    core.jitWarmUpEnabled = true;
    await core.compute(request);
    expect(core.status().jitWarmUp).toBeNull();
    core.drop();
    await setNodeBackend('wasm');
  });
});

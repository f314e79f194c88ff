// The metrics client's schedule with a fake host (no TF.js): one request in flight, the newest masks asked for
// next, stale until the reply for the masks on screen lands, no retry loop after a failure (but a new backend
// tries again); nothing is asked while the live update's results are landing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricSummary } from '../../src';
import type { ComputeHost } from '../compute/host';
import { liveUpdateLanding, lossOrder } from '../compute/loss-order';
import type { MetricsReply, MetricsRequest } from '../compute/metrics-request';
import { useStore } from '../store';
import { type MetricsClient, startMetrics } from './client';
import { metricsStale, useMetrics } from './state';

class FakeHost {
  asked: number[] = [];
  fail = false;
  private held: (() => void)[] = [];
  metrics(req: MetricsRequest): Promise<MetricsReply> {
    this.asked.push(req.logits[0] as number);
    return new Promise((resolve, reject) => {
      this.held.push(() =>
        this.fail
          ? reject(new Error('boom'))
          : resolve({ summary: { numClasses: req.logits[0] } as unknown as MetricSummary, engineMs: 1 }),
      );
    });
  }
  release() {
    for (const h of this.held.splice(0)) h();
  }
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

function setLogit0(v: number) {
  const l = useStore.getState().logits.slice();
  l[0] = v;
  useStore.getState().setLogits(l);
}

describe('metrics client', () => {
  let host: FakeHost;
  let client: MetricsClient;
  let landing = false;
  beforeEach(() => {
    useStore.setState({ backendStatus: 'ready', backend: null });
    useMetrics.setState({ summary: null, inputs: null, error: null });
    setLogit0(0);
    landing = false;
    host = new FakeHost();
    client = startMetrics(
      host as unknown as ComputeHost,
      (run) => queueMicrotask(run),
      () => landing,
    );
  });
  afterEach(() => client.stop());

  it('keeps one request in flight and asks for the newest masks next; stale until they land', async () => {
    await tick();
    expect(host.asked).toEqual([0]);
    setLogit0(1);
    setLogit0(2);
    await tick();
    expect(host.asked).toEqual([0]); // still in flight
    host.release();
    await tick();
    expect(host.asked).toEqual([0, 2]); // 1 was never current when a request could go
    expect(metricsStale(useMetrics.getState(), useStore.getState())).toBe(true);
    host.release();
    await client.flush();
    expect(metricsStale(useMetrics.getState(), useStore.getState())).toBe(false);
    expect(useMetrics.getState().summary?.numClasses).toBe(2);
  });

  it('a failure is shown once, not retried for the same masks; a new backend tries again', async () => {
    await tick();
    host.fail = true;
    host.release();
    await tick();
    expect(useMetrics.getState().error).toBe('boom');
    expect(host.asked).toEqual([0]);
    host.fail = false;
    useStore.setState({ backend: { name: 'wasm' } as never });
    await tick();
    expect(host.asked).toEqual([0, 0]);
    host.release();
    await client.flush();
    expect(useMetrics.getState().error).toBeNull();
  });

  it('asks nothing while the live update lands, then the masks of the landed state; flush waits for it', async () => {
    await tick();
    host.release();
    await client.flush();
    expect(host.asked).toEqual([0]);
    landing = true;
    setLogit0(1);
    await tick();
    expect(host.asked).toEqual([0]); // held: the losses of the edit are landing
    let flushed = false;
    const done = client.flush().then(() => {
      flushed = true;
    });
    await tick();
    expect(flushed).toBe(false);
    landing = false;
    useStore.setState({ updates: useStore.getState().updates + 1 }); // the last result lands
    await tick();
    expect(host.asked).toEqual([0, 1]);
    host.release();
    await done;
    expect(metricsStale(useMetrics.getState(), useStore.getState())).toBe(false);
  });

  it('holds by default until every enabled loss shows a result of the current state', () => {
    const s = useStore.getState();
    const current = { ...s, computeError: null, backendStatus: 'ready' as const };
    expect(liveUpdateLanding({ ...current, results: {} })).toBe(true);
    const all = Object.fromEntries(lossOrder(s).map((id) => [id, { version: s.stateVersion }]));
    expect(liveUpdateLanding({ ...current, results: all as typeof s.results })).toBe(false);
    expect(liveUpdateLanding({ ...current, results: {}, computeError: 'boom' })).toBe(false);
  });
});

// Latest wins where the maths runs: EngineCore drops a request whose state was superseded before it started
// and abandons one at the next loss boundary, without leaking tensors (Node, cpu backend); metrics asked for
// during a live update wait until its reply is out.
import { beforeAll, describe, expect, it } from 'vitest';
import { type LossId, tf } from '../../src';
import { setNodeBackend } from '../../src/testing';
import { EngineCore } from './engine-core';
import { announceOnBoard, isSuperseded } from './latest';

const W = 8;
const target = new Int32Array(W * W).map((_, i) => (i % W > 3 ? 1 : 0));
const logits = new Float32Array(W * W * 2).map((_, i) => (i % 3) - 1);
const request = (state: number) => ({
  width: W,
  height: W,
  numClasses: 2,
  targetVersion: 1,
  state,
  target,
  logits,
  requests: [{ id: 'dice' as const }, { id: 'cross-entropy' as const }, { id: 'iou' as const }],
});

describe('EngineCore latest wins', () => {
  beforeAll(async () => {
    await setNodeBackend('cpu');
  });

  it('never starts a request whose state was superseded before it ran', async () => {
    const core = new EngineCore();
    let losses = 0;
    const tensors = tf.memory().numTensors;
    const run = core.compute(request(1), async () => {
      losses++;
      core.supersede(2); // a newer state arrives while the request waits to start
    });
    await expect(run).rejects.toSatisfy(isSuperseded);
    expect(losses).toBe(1); // only the check before the first loss ran
    core.drop();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('abandons a superseded request at the next loss boundary, not after all losses', async () => {
    const core = new EngineCore();
    let checkpoints = 0;
    const tensors = tf.memory().numTensors;
    const run = core.compute(request(1), async () => {
      checkpoints++;
      if (checkpoints === 2) core.supersede(5); // after the first loss
    });
    await expect(run).rejects.toSatisfy(isSuperseded);
    expect(checkpoints).toBe(2); // the 2nd and 3rd losses never ran
    const ok = await core.compute(request(5), async () => {});
    expect(ok.results.map((r) => r.id)).toEqual(['dice', 'cross-entropy', 'iou']);
    core.drop();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('reports the tensors it keeps, the same whichever losses a request held (not its own, already disposed)', async () => {
    const core = new EngineCore();
    const all = await core.compute(request(1), async () => {});
    const one = await core.compute({ ...request(2), requests: [{ id: 'iou' as const }] }, async () => {});
    const two = await core.compute({ ...request(3), requests: [{ id: 'cross-entropy' as const }] }, async () => {});
    expect(one.numTensors).toBe(all.numTensors);
    expect(two.numTensors).toBe(all.numTensors);
    expect(tf.memory().numTensors).toBe(all.numTensors); // nothing of the request is left when it is counted
    core.drop();
  });

  it('streams a request in groups: each loss once, the page gets each group before the request ends', async () => {
    const core = new EngineCore();
    core.partialMinMs = 0;
    const ids: LossId[] = ['dice', 'cross-entropy', 'iou', 'tversky', 'focal'];
    const five = { ...request(1), partialEvery: 2, requests: ids.map((id) => ({ id })) };
    const parts: string[][] = [];
    const values = new Map<string, number | null>();
    const reply = await core.compute(
      five,
      async () => {},
      (p) => {
        parts.push(p.results.map((r) => r.id));
        for (const r of p.results) values.set(r.id, r.value);
      },
    );
    expect(parts).toEqual([
      ['dice', 'cross-entropy'],
      ['iou', 'tversky'],
    ]);
    expect(reply.results.map((r) => r.id)).toEqual(['focal']);
    expect(reply.results[0]?.grad?.length).toBe(W * W * 2);
    for (const r of reply.results) values.set(r.id, r.value);
    // The same numbers as one unstreamed request.
    const whole = await core.compute({ ...five, partialEvery: undefined }, async () => {});
    expect(whole.results.map((r) => r.id)).toEqual(['dice', 'cross-entropy', 'iou', 'tversky', 'focal']);
    for (const r of whole.results) expect(values.get(r.id)).toBe(r.value);
    core.drop();
  });

  it('with firstAlone, posts the first loss (the focused one) alone at once, however short it took', async () => {
    const core = new EngineCore();
    core.partialMinMs = 60_000; // the other groups ride along with the reply
    const ids: LossId[] = ['dice', 'cross-entropy', 'iou', 'tversky'];
    const parts: string[][] = [];
    const reply = await core.compute(
      { ...request(1), partialEvery: 2, firstAlone: true, requests: ids.map((id) => ({ id })) },
      async () => {},
      (p) => parts.push(p.results.map((r) => r.id)),
    );
    expect(parts).toEqual([['dice']]);
    expect(reply.results.map((r) => r.id)).toEqual(['cross-entropy', 'iou', 'tversky']);
    core.drop();
  });

  it('a superseded streamed request keeps the groups it posted and runs no later group', async () => {
    const core = new EngineCore();
    core.partialMinMs = 0;
    const req = { ...request(1), partialEvery: 1 };
    const parts: string[] = [];
    const run = core.compute(
      req,
      async () => {},
      (p) => {
        parts.push(...p.results.map((r) => r.id));
        core.supersede(2); // an edit lands while the first group is shown
      },
    );
    await expect(run).rejects.toSatisfy(isSuperseded);
    expect(parts).toEqual(['dice']);
    core.drop();
  });

  it('with a shared board, abandons a superseded request at the next loss boundary without yielding there', async () => {
    const core = new EngineCore();
    const board = new Int32Array(new SharedArrayBuffer(4));
    core.shareLatestBoard(board);
    core.partialMinMs = 0;
    const tensors = tf.memory().numTensors;
    let yields = 0;
    const parts: string[] = [];
    const run = core.compute(
      { ...request(1), partialEvery: 1 },
      async () => {
        yields++;
      },
      (p) => {
        parts.push(...p.results.map((r) => r.id));
        announceOnBoard(board, 2); // the page writes a newer state; no message, no yield follows
      },
    );
    await expect(run).rejects.toSatisfy(isSuperseded);
    expect(parts).toEqual(['dice']); // cross-entropy and iou never ran
    expect(yields).toBe(1); // only before the first loss: the board was read at the boundaries
    // without a board each boundary yields (the path the main-thread engine and non-isolated pages take)
    const plain = new EngineCore();
    let plainYields = 0;
    await plain.compute(request(3), async () => {
      plainYields++;
    });
    expect(plainYields).toBe(3);
    core.drop();
    plain.drop();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('a shared board still starts no request of a state already superseded', async () => {
    const core = new EngineCore();
    const board = new Int32Array(new SharedArrayBuffer(4));
    core.shareLatestBoard(board);
    announceOnBoard(board, 7);
    let losses = 0;
    await expect(
      core.compute(request(6), async () => {
        losses++;
      }),
    ).rejects.toSatisfy(isSuperseded);
    expect(losses).toBe(1);
    const ok = await core.compute(request(7), async () => {});
    expect(ok.results).toHaveLength(3);
    core.drop();
  });

  it('runs metrics only after a quiet spell: an update that starts meanwhile goes first', async () => {
    const core = new EngineCore();
    core.metricsIdleMs = 30;
    const order: string[] = [];
    await core.compute(request(1), async () => {});
    const metrics = core
      .metrics({ width: W, height: W, numClasses: 2, target, logits })
      .then(() => order.push('metrics'));
    await new Promise((r) => setTimeout(r, 5)); // an edit arrives within the quiet spell
    await core.compute(request(2), async () => {}).then(() => order.push('compute'));
    await metrics;
    expect(order).toEqual(['compute', 'metrics']);
    core.drop();
  });

  it('runs metrics asked for during a live update only after that update ended', async () => {
    const core = new EngineCore();
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const run = core.compute(request(1), () => gate).then(() => order.push('compute'));
    const metrics = core
      .metrics({ width: W, height: W, numClasses: 2, target, logits })
      .then((m) => order.push(`metrics ${m.summary.numClasses}`));
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]); // the update holds at its checkpoint: the metrics wait
    release();
    await Promise.all([run, metrics]);
    expect(order).toEqual(['compute', 'metrics 2']);
    core.drop();
  });
});

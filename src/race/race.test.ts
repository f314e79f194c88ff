import { expect, it } from 'vitest';
import { diceScoreMeanForeground, diceScoreOfLabels } from '../metrics/argmax-overlap';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { RaceCancelledError, RaceRun, runRace } from './race';
import type { RaceSettings } from './settings';
import { validateRaceSettings } from './settings';

/** A small-lesion case: a disc of radius r in an S×S image; the start is a blurry, shifted guess. */
function lesion(S: number, r: number) {
  const labels = new Int32Array(S * S);
  const logits = new Float32Array(S * S * 2);
  const c = S / 2;
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const i = y * S + x;
      labels[i] = Math.hypot(x - c, y - c) < r ? 1 : 0;
      const d = Math.hypot(x - c - 2, y - c - 1) - r;
      logits[2 * i] = 0.3 * d;
      logits[2 * i + 1] = -0.3 * d;
    }
  return {
    logits: tf.tensor4d(logits, [1, S, S, 2]),
    target: tf.tensor3d(labels, [1, S, S], 'int32'),
    labels,
  };
}

const BASE: RaceSettings = {
  losses: [{ id: 'cross-entropy' }, { id: 'dice' }],
  mode: 'logits',
  optimiser: 'adam',
  lr: { kind: 'shared', rate: 0.1 },
  steps: 12,
  seed: 7,
};

describeEachBackend('loss race', () => {
  it('same settings give the same trajectory (also in chunks of 5 vs one chunk)', async () => {
    for (const mode of ['logits', 'network'] as const) {
      const { logits, target } = lesion(mode === 'network' ? 8 : 16, 2);
      const s = { ...BASE, mode, lr: { kind: 'shared' as const, rate: mode === 'network' ? 0.01 : 0.1 } };
      const a = await runRace(s, { logits, target }, { chunkSteps: 5 });
      const b = await runRace(s, { logits, target }, { chunkSteps: 100 });
      expect(a.evaluated).toBe(13);
      a.racers.forEach((ra, i) => {
        const rb = b.racers[i];
        expect(ra.error).toBeNull();
        expect(Array.from(ra.loss)).toEqual(Array.from(rb?.loss ?? []));
        expect(Array.from(ra.dice)).toEqual(Array.from(rb?.dice ?? []));
        expect(ra.snapshots).toEqual(rb?.snapshots);
        expect(ra.loss.every(Number.isFinite)).toBe(true);
      });
      // Same start: every racer's step-0 prediction is the same.
      expect(a.racers[0]?.snapshots[0]).toEqual(a.racers[1]?.snapshots[0]);
      expect(a.racers[0]?.dice[0]).toBe(a.racers[1]?.dice[0]);
      tf.dispose([logits, target]);
    }
  });

  it('a race of two losses lowers both, with each optimiser and both rate kinds', async () => {
    const { logits, target } = lesion(16, 3);
    const cases: Pick<RaceSettings, 'optimiser' | 'lr'>[] = [
      { optimiser: 'sgd', lr: { kind: 'shared', rate: 0.5 } },
      { optimiser: 'momentum', lr: { kind: 'shared', rate: 0.05 } },
      { optimiser: 'adam', lr: { kind: 'per-loss', rates: [0.1, 0.1] } },
      { optimiser: 'sgd', lr: { kind: 'per-loss', rates: [50, 50] } },
    ];
    for (const c of cases) {
      const tr = await runRace({ ...BASE, ...c, steps: 30 }, { logits, target });
      for (const r of tr.racers) {
        expect(r.loss[30], `${c.optimiser} ${c.lr.kind} ${r.id}`).toBeLessThan((r.loss[0] as number) * 0.9);
      }
      expect(tr.racers[0]?.dice[30]).toBeGreaterThan(tr.racers[0]?.dice[0] as number);
    }
    tf.dispose([logits, target]);
  });

  it('tiny-network mode learns the small lesion (Dice loss; the start is the current prediction)', async () => {
    const S = 16;
    const { target, labels } = lesion(S, 2.5);
    const logits = tf.tensor4d(
      new Float32Array(S * S * 2).map((_, i) => (i % 2 === 0 ? 1 : -1)),
      [1, S, S, 2],
    );
    const tr = await runRace(
      { ...BASE, losses: [{ id: 'dice' }], mode: 'network', lr: { kind: 'shared', rate: 0.03 }, steps: 60 },
      { logits, target },
    );
    const r = tr.racers[0];
    expect(r?.error).toBeNull();
    expect(r?.dice[0]).toBe(0); // everything background at the start
    expect(r?.loss[60]).toBeLessThan((r?.loss[0] as number) * 0.7);
    expect(r?.dice[60]).toBeGreaterThan(0.6);
    // The last snapshot's argmax gives the same Dice score as the tensor computation.
    const snap = r?.snapshots.at(-1) as Uint8Array;
    const pred = new Int32Array(S * S).map((_, i) => ((snap[2 * i + 1] as number) > (snap[2 * i] as number) ? 1 : 0));
    expect(diceScoreOfLabels(pred, labels, 2)).toBeCloseTo(r?.dice[60] as number, 1);
    tf.dispose([logits, target]);
  });

  it('leaks no tensors: finished, cancelled, failing racer', async () => {
    const { logits, target } = lesion(16, 3);
    const before = tf.memory().numTensors;
    await runRace(
      { ...BASE, optimiser: 'momentum', mode: 'network', steps: 3, lr: { kind: 'shared', rate: 0.01 } },
      { logits, target },
    );
    await runRace({ ...BASE }, { logits, target });
    expect(tf.memory().numTensors).toBe(before);
    const controller = new AbortController();
    const p = runRace(
      { ...BASE, steps: 100 },
      { logits, target },
      {
        chunkSteps: 3,
        onProgress: (done) => done >= 6 && controller.abort(),
        signal: controller.signal,
      },
    );
    await expect(p).rejects.toBeInstanceOf(RaceCancelledError);
    expect(tf.memory().numTensors).toBe(before);
    const tr = await runRace(
      { ...BASE, losses: [{ id: 'dice' }, { id: 'focal', params: { gamma: -1 } }] },
      { logits, target },
    );
    expect(tr.racers[1]?.error).toMatch(/gamma/);
    expect(tr.racers[0]?.loss.every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, target]);
  });

  it('keeps every k-th snapshot and always the last; advance() resumes where it stopped', async () => {
    const { logits, target } = lesion(8, 2);
    const run = new RaceRun({ ...BASE, steps: 10, snapshotEvery: 4 }, { logits, target });
    expect(run.trajectory.snapshotSteps).toEqual([0, 4, 8, 10]);
    expect(await run.advance(4)).toBe(4);
    expect(run.trajectory.evaluated).toBe(4);
    expect(Number.isNaN(run.trajectory.racers[0]?.loss[4])).toBe(true);
    while (!run.done) await run.advance(4);
    expect(run.trajectory.racers[0]?.snapshots.length).toBe(4);
    run.dispose();
    tf.dispose([logits, target]);
  });

  it('diceScoreMeanForeground matches the label version; NaN without foreground', () => {
    const { logits, target, labels } = lesion(16, 4);
    const d = diceScoreMeanForeground(logits, target);
    const probs = logits.dataSync();
    const pred = labels.map((_, i) => ((probs[2 * i + 1] as number) > (probs[2 * i] as number) ? 1 : 0));
    expect(d.dataSync()[0]).toBeCloseTo(diceScoreOfLabels(pred, labels, 2), 5);
    const empty = tf.zeros([1, 16, 16], 'int32') as tf.Tensor3D;
    const e = diceScoreMeanForeground(logits, empty);
    expect(Number.isNaN(e.dataSync()[0])).toBe(true);
    tf.dispose([logits, target, d, empty, e]);
  });
});

it('validateRaceSettings names the problem', () => {
  expect(validateRaceSettings(BASE)).toBeNull();
  expect(validateRaceSettings({ ...BASE, losses: [] })).toMatch(/1–6 losses/);
  expect(validateRaceSettings({ ...BASE, steps: 1001 })).toMatch(/1 to 1000/);
  expect(validateRaceSettings({ ...BASE, losses: [{ id: 'nope' as 'dice' }] })).toMatch(/Unknown loss id 'nope'/);
  expect(validateRaceSettings({ ...BASE, lr: { kind: 'per-loss', rates: [0.1] } })).toMatch(/2 losses but 1 rates/);
  expect(validateRaceSettings({ ...BASE, lr: { kind: 'shared', rate: Number.NaN } })).toMatch(/positive/);
});

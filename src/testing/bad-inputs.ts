// The shared table of bad inputs every loss's test file runs (issue 10.8): wrong ranks, mismatched shapes,
// C = 1, and for each numeric parameter NaN and an out-of-range value. Each must throw an error that names the
// loss, and for parameters the parameter and the value, leaving no tensor behind.
import { expect, it } from 'vitest';
import { computeLoss } from '../compute';
import { errorMessage } from '../error-message';
import { getLoss } from '../registry';
import { tf } from '../tf';
import type { NumberParam, Params } from '../types';
import { describeEachBackend } from './backends';

interface BadCase {
  what: string;
  logits: () => tf.Tensor;
  target: () => tf.Tensor;
  params?: Params;
  /** Every one of these must appear in the message. */
  says: string[];
}

const good = () => tf.zeros([1, 4, 4, 2]);
const goodTarget = () => tf.zeros([1, 4, 4], 'int32');

/** An out-of-range value for a number parameter (below its hard minimum, else above its hard maximum). */
function outOfRange(spec: NumberParam): number | null {
  const lo = spec.hardMin ?? spec.min;
  const hi = spec.hardMax ?? spec.max;
  if (Number.isFinite(lo)) return lo - 1;
  if (Number.isFinite(hi)) return hi + 1;
  return null;
}

export function badInputCases(id: string): BadCase[] {
  const def = getLoss(id);
  const cases: BadCase[] = [
    { what: 'logits of rank 3', logits: () => tf.zeros([4, 4, 2]), target: goodTarget, says: [id, '[4, 4, 2]'] },
    { what: 'target of rank 2', logits: good, target: () => tf.zeros([4, 4], 'int32'), says: [id, '[4, 4]'] },
    {
      what: 'target of another size',
      logits: good,
      target: () => tf.zeros([1, 4, 5], 'int32'),
      says: [id, '[1, 4, 5]'],
    },
    { what: 'C = 1', logits: () => tf.zeros([1, 4, 4, 1]), target: goodTarget, says: [id, 'C = 1'] },
    { what: 'an unknown parameter', logits: good, target: goodTarget, params: { nope: 1 }, says: [id, 'nope'] },
  ];
  for (const [name, spec] of Object.entries(def.params)) {
    if (spec.kind !== 'number') continue;
    cases.push({
      what: `${name} = NaN`,
      logits: good,
      target: goodTarget,
      params: { [name]: Number.NaN },
      says: [id, name, 'NaN'],
    });
    const v = outOfRange(spec);
    if (v !== null)
      cases.push({
        what: `${name} = ${v} (out of range)`,
        logits: good,
        target: goodTarget,
        params: { [name]: v },
        says: [id, name, String(v)],
      });
  }
  return cases;
}

/** Registers the bad-input table of loss `id` on cpu and wasm. */
export function standardBadInputs(id: string): void {
  describeEachBackend(`${id} bad inputs`, () => {
    for (const c of badInputCases(id)) {
      it(`refuses ${c.what}, naming ${c.says.map((s) => `'${s}'`).join(', ')}`, () => {
        const logits = c.logits() as tf.Tensor4D;
        const target = c.target() as tf.Tensor3D;
        const before = tf.memory().numTensors;
        let message = '';
        try {
          computeLoss(id, logits, target, c.params ?? {}).dispose();
        } catch (e) {
          message = errorMessage(e);
        }
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([logits, target]);
        for (const s of c.says) expect(message).toContain(s);
      });
    }
  });
}

// The shared table of bad inputs every loss's test file runs (issue 10.8): wrong ranks, mismatched shapes,
// C = 1 (and C > 2 for binary-only losses), an unknown parameter, and for each parameter the values its kind
// refuses (numbers: NaN, out of range, a fraction for integers; enums: an unknown option; booleans: a string;
// vectors and matrices: a NaN entry, a wrong length or size). Each must throw an error that names the loss, and
// for parameters the parameter and the value, leaving no tensor behind. A loss adds its own rows (constraints
// that only its compute checks) through `extra`.
import { expect, it } from 'vitest';
import { computeLoss } from '../compute';
import { errorMessage } from '../error-message';
import { getLoss } from '../registry';
import { tf } from '../tf';
import type { NumberParam, ParamSpec, Params } from '../types';
import { describeEachBackend } from './backends';

export interface BadCase {
  what: string;
  /** Default: zeros of shape [1, 4, 4, 2]. */
  logits?: () => tf.Tensor;
  /** Default: zeros of shape [1, 4, 4]. */
  target?: () => tf.Tensor;
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

/** The table rows for one parameter: values of its kind that the library must refuse (C = 2 inputs). */
function parameterCases(id: string, name: string, spec: ParamSpec): BadCase[] {
  const row = (value: Params[string], shown: string, what = `${name} = ${shown}`): BadCase => ({
    what,
    params: { [name]: value },
    says: [id, `'${name}'`, shown],
  });
  switch (spec.kind) {
    case 'number': {
      const rows = [row(Number.NaN, 'NaN')];
      const v = outOfRange(spec);
      if (v !== null) rows.push(row(v, String(v), `${name} = ${v} (out of range)`));
      const lo = spec.hardMin ?? spec.min;
      if (spec.integer && Number.isFinite(lo)) rows.push(row(lo + 0.5, String(lo + 0.5), `${name} = ${lo + 0.5}`));
      return rows;
    }
    case 'boolean':
      return [row('yes', '"yes"')];
    case 'enum':
      return [row('no-such-option', '"no-such-option"')];
    case 'vector': {
      const rows = [row([1, Number.NaN], '[1, NaN]')];
      if (spec.length === 'classes') rows.push(row([1, 1, 1], '[1, 1, 1]', `${name} with 3 entries for C = 2`));
      if (spec.integer) rows.push(row([0.5], '[0.5]'));
      return rows;
    }
    case 'matrix': {
      const three = [
        [0, 1, 1],
        [1, 0, 1],
        [1, 1, 0],
      ];
      return [
        row(
          [
            [0, Number.NaN],
            [1, 0],
          ],
          '[[0, NaN], [1, 0]]',
        ),
        row(three, '[[0, 1, 1], [1, 0, 1], [1, 1, 0]]', `${name} 3×3 for C = 2`),
      ];
    }
  }
}

export function badInputCases(id: string, extra: BadCase[] = []): BadCase[] {
  const def = getLoss(id);
  const cases: BadCase[] = [
    { what: 'logits of rank 3', logits: () => tf.zeros([4, 4, 2]), says: [id, '[4, 4, 2]'] },
    { what: 'target of rank 2', target: () => tf.zeros([4, 4], 'int32'), says: [id, '[4, 4]'] },
    { what: 'target of another size', target: () => tf.zeros([1, 4, 5], 'int32'), says: [id, '[1, 4, 5]'] },
    { what: 'C = 1', logits: () => tf.zeros([1, 4, 4, 1]), says: [id, 'C = 1'] },
    { what: 'an unknown parameter', params: { nope: 1 }, says: [id, 'nope'] },
  ];
  if (def.binaryOnly)
    cases.push({ what: 'C = 3 (binary only)', logits: () => tf.zeros([1, 4, 4, 3]), says: [id, 'C = 3'] });
  for (const [name, spec] of Object.entries(def.params)) cases.push(...parameterCases(id, name, spec));
  return [...cases, ...extra];
}

/** Registers the bad-input table of loss `id` (plus the loss's own `extra` rows) on cpu and wasm. */
export function standardBadInputs(id: string, extra: BadCase[] = []): void {
  describeEachBackend(`${id} bad inputs`, () => {
    for (const c of badInputCases(id, extra)) {
      it(`refuses ${c.what}, naming ${c.says.map((s) => `'${s}'`).join(', ')}`, () => {
        const logits = (c.logits ?? good)() as tf.Tensor4D;
        const target = (c.target ?? goodTarget)() as tf.Tensor3D;
        const before = tf.memory().numTensors;
        let message = '';
        try {
          computeLoss(id, logits, target, c.params ?? {}).dispose();
        } catch (e) {
          message = errorMessage(e);
        }
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([logits, target]);
        expect(message, 'no error was thrown').not.toBe('');
        for (const s of c.says) expect(message).toContain(s);
      });
    }
  });
}

// The loss card's code snippet: it names the loss, carries exactly the non-default parameters, and the call it
// shows runs with the library (same lossAndGrad call, same parameters parsed back out of the snippet).
import { beforeAll, describe, expect, it } from 'vitest';
import { getLoss, lossAndGrad, type Params, tf } from '../src';
import { setNodeBackend } from '../src/testing';
import { lossSnippet, nonDefaultParams, snippetParams } from './code-snippet';

/** What the snippet does, with the library: a disc target of class C − 1 and normal logits. */
function runLikeSnippet(id: string, params: Params, c: number): { value: number; gradShape: number[] } {
  const h = 16;
  const w = 16;
  return tf.tidy(() => {
    const labels = new Int32Array(h * w).map((_, i) =>
      Math.hypot((i % w) - w / 2, Math.floor(i / w) - h / 2) < h / 4 ? c - 1 : 0,
    );
    const target = tf.tensor3d(labels, [1, h, w], 'int32');
    const logits = tf.randomNormal([1, h, w, c], 0, 1, 'float32', 7) as tf.Tensor4D;
    const { value, grad } = lossAndGrad(id, logits, target, params);
    return { value: value.dataSync()[0] as number, gradShape: grad.shape };
  });
}

describe('lossSnippet', () => {
  beforeAll(async () => {
    await setNodeBackend('cpu');
  });

  it('keeps only the parameters that differ from the defaults', () => {
    const dice = getLoss('dice');
    expect(nonDefaultParams(dice, undefined)).toEqual({});
    expect(nonDefaultParams(dice, { smoothNr: 1e-5, squaredPred: true })).toEqual({ squaredPred: true });
  });

  it('writes an all-defaults call when nothing changed', () => {
    const s = lossSnippet(getLoss('focal'), undefined, 3);
    expect(s).toContain("lossAndGrad('focal', logits, target, params)");
    expect(s).toContain("from './src'");
    expect(snippetParams(s)).toEqual({});
    expect(s).toMatch(/C = 3/);
    expect(s).not.toContain('loadInverseFormNet');
  });

  it('loads the InverseForm network first for the loss that needs it', () => {
    const s = lossSnippet(getLoss('inverseform'), undefined, 2);
    expect(s).toContain("import { loadInverseFormNet, lossAndGrad, tf } from './src';");
    expect(s.indexOf('await loadInverseFormNet()')).toBeLessThan(s.indexOf('lossAndGrad('));
  });

  it.each([
    ['focal', { gamma: 3.5, alpha: 0.25 }, 3],
    ['dice', { smoothNr: 0.125, includeBackground: false }, 2],
    ['focal', { gamma: 12 }, 2], // beyond the UI's 0..5 (advanced mode); the library allows γ ≥ 0
  ] as const)('%s with %j: the call it shows runs and carries those parameters', (id, params, c) => {
    const def = getLoss(id);
    for (const name of Object.keys(params)) expect(name in def.params).toBe(true);
    const s = lossSnippet(def, { ...params }, c);
    expect(s).toContain(`lossAndGrad('${id}'`);
    const parsed = snippetParams(s);
    expect(parsed).toEqual(params);
    const r = runLikeSnippet(id, parsed, c);
    expect(Number.isFinite(r.value)).toBe(true);
    expect(r.gradShape).toEqual([1, 16, 16, c]);
  });

  it('uses two classes for a binary-only loss whatever the explorer has', () => {
    const def = { ...getLoss('dice'), binaryOnly: true }; // no registered loss is binary-only today
    expect(lossSnippet(def, undefined, 5)).toMatch(/C = 2; .*binary only/);
  });
});

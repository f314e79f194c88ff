import { describe, expect, it } from 'vitest';
import { defaultParams, IMPLEMENTED_LOSSES, LOSSES, type Params } from '../../src';
import { py } from './format';
import { PYTORCH_REFERENCES } from './references';
import { pytorchSnippet } from './snippet';

describe('PyTorch snippets', () => {
  it('map every parameter of every loss one to one (to a reference argument, or to a stated reason)', () => {
    for (const def of LOSSES) {
      const ref = PYTORCH_REFERENCES[def.id];
      expect(Object.keys(ref.params).sort(), def.id).toEqual(Object.keys(def.params).sort());
      for (const [name, m] of Object.entries(ref.params)) {
        if (m.arg === null) expect('why' in m && m.why.length > 5, `${def.id}.${name}`).toBe(true);
        else expect(m.arg.length, `${def.id}.${name}`).toBeGreaterThan(0);
      }
    }
  });

  it('write every numeric parameter that maps to an argument into the call', () => {
    for (const def of IMPLEMENTED_LOSSES) {
      const ref = PYTORCH_REFERENCES[def.id];
      const defaults = defaultParams(def.params);
      for (const [name, spec] of Object.entries(def.params)) {
        const m = ref.params[name];
        if (!m || m.arg === null || spec.kind !== 'number') continue;
        // A distinctive value in range must appear in the snippet (as itself, or 1 − it for a weight that flips).
        const lo = spec.min ?? 0;
        const hi = spec.max ?? lo + 10;
        const v = Number((lo + (hi - lo) * 0.37).toPrecision(3));
        if (v === defaults[name]) continue;
        // Parameters of an alternative estimator only show with that estimator chosen.
        const extra: Params = def.id === 'hausdorff-distance' && name === 'erosions' ? { estimator: 'erosion' } : {};
        const code = pytorchSnippet(def, { ...extra, [name]: v }, 3);
        expect(code.includes(py(v)), `${def.id}.${name}=${v}\n${code}`).toBe(true);
      }
    }
  });

  it('are stable for the defaults', () => {
    const all = Object.fromEntries(IMPLEMENTED_LOSSES.map((d) => [d.id, pytorchSnippet(d, undefined, 2)]));
    expect(all).toMatchSnapshot();
  });

  it('translate parameterisations that differ and say so', () => {
    const uf = LOSSES.find((d) => d.id === 'unified-focal');
    if (!uf) throw new Error('unified-focal missing');
    expect(pytorchSnippet(uf, { weight: 0.3 }, 2)).toContain('weight=1 - 0.3');
    expect(pytorchSnippet(uf, { weight: 0.3, weightOn: 'focal' }, 2)).toContain('weight=0.3,');
    const tv = LOSSES.find((d) => d.id === 'tversky');
    if (!tv) throw new Error('tversky missing');
    expect(pytorchSnippet(tv, { alpha: 0.3, beta: 0.7, alphaOn: 'FN' }, 2)).toContain('alpha=0.7, beta=0.3');
    const rt = LOSSES.find((d) => d.id === 'robust-t-loss');
    if (!rt) throw new Error('robust-t-loss missing');
    const logPrecision = rt.params.logPrecision;
    if (logPrecision?.kind === 'number') {
      const v = logPrecision.default === 1 ? 2 : 1;
      expect(pytorchSnippet(rt, { logPrecision: v }, 2)).toMatch(/# Note: logPrecision = .* has no counterpart/);
    }
  });

  it('write Python literals', () => {
    expect(py(null)).toBe('None');
    expect(py(true)).toBe('True');
    expect(py([0.5, 1])).toBe('[0.5, 1]');
    expect(py("it's")).toBe("'it\\'s'");
    expect(py(1e-5)).toBe('0.00001');
  });
});

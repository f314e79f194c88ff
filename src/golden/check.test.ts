// The golden checker's own rules: tolerance edges, null reference values, unknown and unimplemented losses,
// property files, unreadable files, and the report's closing line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setNodeBackend } from '../testing/backends';
import { checkCase, checkFile, fileErrorResult, formatReport, relativeTolerance, totalsLine } from './check';
import { type GoldenFile, parseGoldenFile } from './format';

const ce = parseGoldenFile(readFileSync(join(import.meta.dirname, 'data/cross-entropy.json'), 'utf8'));
const r1 = ce.cases[0]!;

describe('golden checker', () => {
  it('passes the reference and fails a value just outside the tolerance', async () => {
    await setNodeBackend('cpu');
    expect(checkCase(ce, r1, 'cpu').passed).toBe(true);
    const v = r1.value as number;
    const tol = Math.max(1e-4 * Math.max(Math.abs(v), 1e-3), 4 * (r1.float32Deviation?.value ?? 0));
    const off = checkCase(ce, { ...r1, value: v + 3 * tol }, 'cpu');
    expect(off.passed).toBe(false);
    expect(off.reason).toMatch(/value error/);
    expect(relativeTolerance('cpu')).toBe(1e-4);
    expect(relativeTolerance('webgl')).toBe(1e-3);
  });

  it('fails a wrong gradient', () => {
    const grad = [...(r1.grad as number[])];
    grad[0] = (grad[0] as number) + 0.01;
    const res = checkCase(ce, { ...r1, grad }, 'cpu');
    expect(res.passed).toBe(false);
    expect(res.gradError).toBeGreaterThan(0.009);
  });

  it('passes a null reference value only when ours is finite', () => {
    const res = checkCase(ce, { ...r1, value: null, grad: null, valueStatus: 'nan' }, 'cpu');
    expect(res.passed).toBe(true);
    expect(res.reason).toMatch(/finite/);
  });

  it('fails unknown losses and property files of unimplemented losses, with the reason', () => {
    const unknown: GoldenFile = { ...ce, loss: 'no-such-loss' };
    const [u] = checkFile(unknown, 'cpu');
    expect(u?.passed).toBe(false);
    expect(u?.reason).toMatch(/not a loss of the registry/);
    const prop: GoldenFile = { ...ce, loss: 'no-such-loss', kind: 'property', cases: [] };
    expect(checkFile(prop, 'cpu')[0]?.passed).toBe(false);
  });

  it('rejects malformed files and reports them as one failed case', () => {
    expect(() => parseGoldenFile('{', 'x.json')).toThrow(/not valid JSON/);
    expect(() => parseGoldenFile('{"format":"seg-loss-golden/1","loss":"dice","cases":[]', 'x.json')).toThrow();
    const bad = { ...r1, target: [0] };
    expect(() => parseGoldenFile(JSON.stringify({ ...ce, cases: [bad] }), 'y.json')).toThrow(/do not match shape/);
    const results = [fileErrorResult('x.json', 'cannot read'), ...checkFile(ce, 'cpu').slice(0, 2)];
    const report = formatReport(results, 'cpu');
    expect(report.split('\n').at(-1)).toBe('2 passed, 1 failed');
    expect(totalsLine([])).toBe('0 passed, 0 failed');
  });
});

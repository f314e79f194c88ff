import { describe, expect, it } from 'vitest';
import { describeFault, isEngineAbort } from './faults';

describe('isEngineAbort', () => {
  it('recognises WASM aborts, as errors or as text', () => {
    expect(isEngineAbort(new WebAssembly.RuntimeError('memory access out of bounds'))).toBe(true);
    expect(isEngineAbort(new Error('Aborted(). Build with -sASSERTIONS for more info.'))).toBe(true);
    expect(isEngineAbort('RuntimeError: unreachable executed')).toBe(true);
    expect(isEngineAbort('memory access out of bounds')).toBe(true);
  });
  it('leaves ordinary errors alone', () => {
    expect(isEngineAbort(new Error('dice: smoothNr must be ≥ 0'))).toBe(false);
    expect(isEngineAbort('InverseForm needs its pretrained network')).toBe(false);
    expect(isEngineAbort(undefined)).toBe(false);
  });
  it('describes a fault without a doubled full stop', () => {
    expect(describeFault({ kind: 'engine-abort', detail: 'Aborted().' })).toBe('the WASM engine aborted: Aborted()');
  });
});

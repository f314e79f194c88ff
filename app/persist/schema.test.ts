import { describe, expect, it } from 'vitest';
import { exampleMasks } from '../editing/example';
import { defaultSettings } from '../store/settings';
import { CURRENT_VERSION, decode, encode, fromBase64, migrate, SessionError, toBase64 } from './schema';

describe('session schema', () => {
  it('round-trips masks and settings', () => {
    const m = exampleMasks(64);
    const st = { ...defaultSettings(), focusedLoss: 'cross-entropy' as const, backendChoice: 'auto' };
    const rec = JSON.parse(JSON.stringify(encode(m, st)));
    const back = decode(migrate(rec));
    expect(back.masks.width).toBe(64);
    expect(Array.from(back.masks.target)).toEqual(Array.from(m.target));
    expect(Array.from(back.masks.logits)).toEqual(Array.from(m.logits));
    expect(back.settings.focusedLoss).toBe('cross-entropy');
  });

  it('runs migrations in order up to the current version', () => {
    const steps = {
      1: (r: Record<string, unknown>) => ({ ...r, b: (r.a as number) + 1 }),
      2: (r: Record<string, unknown>) => ({ ...r, c: (r.b as number) * 10 }),
    };
    expect(migrate({ schemaVersion: 1, a: 1 }, steps, 3)).toEqual({ schemaVersion: 3, a: 1, b: 2, c: 20 });
    expect(migrate({ schemaVersion: 2, b: 5 }, steps, 3)).toEqual({ schemaVersion: 3, b: 5, c: 50 });
    expect(() => migrate({ schemaVersion: 1 }, {}, 2)).toThrow(/no migration/);
  });

  it('rejects unknown versions and corrupt data with a SessionError', () => {
    expect(() => migrate({ schemaVersion: CURRENT_VERSION + 1 })).toThrow(SessionError);
    expect(() => migrate(null)).toThrow(/not an object/);
    expect(() => migrate({})).toThrow(/schemaVersion/);
    const rec = JSON.parse(JSON.stringify(encode(exampleMasks(64), { ...defaultSettings(), backendChoice: 'auto' })));
    expect(() => decode({ ...rec, masks: { ...rec.masks, target: 'AAAA' } })).toThrow(/wrong size/);
    expect(() => decode({ ...rec, settings: { ...rec.settings, focusedLoss: 'nope' } })).toThrow(
      /unknown focused loss/,
    );
    const bad = new Int32Array(64 * 64).fill(7);
    expect(() => decode({ ...rec, masks: { ...rec.masks, target: toBase64(new Uint8Array(bad.buffer)) } })).toThrow(
      /outside/,
    );
  });

  it('base64 helpers are inverse', () => {
    const b = new Uint8Array([0, 1, 2, 250, 255, 128]);
    expect(Array.from(fromBase64(toBase64(b)))).toEqual(Array.from(b));
  });
});

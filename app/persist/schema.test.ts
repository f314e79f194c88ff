import { describe, expect, it } from 'vitest';
import { exampleMasks } from '../editing/example';
import { BRUSH_MAX } from '../store/masks';
import { defaultSettings } from '../store/settings';
import { defaultTools } from '../store/tools';
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

  it('migrates a version-1 session to version 2 with the default tool settings', () => {
    const v2 = JSON.parse(JSON.stringify(encode(exampleMasks(64), { ...defaultSettings(), backendChoice: 'auto' })));
    const { tools: _dropped, ...rest } = v2;
    const v1 = { ...rest, schemaVersion: 1 };
    const up = migrate(v1);
    expect(up.schemaVersion).toBe(2);
    expect(CURRENT_VERSION).toBe(2);
    const back = decode(up);
    expect(back.tools).toEqual(defaultTools());
    expect(back.settings.focusedLoss).toBe(v1.settings.focusedLoss);
    expect(Array.from(back.masks.target)).toEqual(Array.from(exampleMasks(64).target));
  });

  it('round-trips tool settings and falls back per field on invalid ones', () => {
    const m = exampleMasks(64);
    const tools = {
      tool: 'disc' as const,
      brushSize: 9,
      predBrush: { cls: 1, radius: 17, strength: 0.35, mode: 'lower' as const },
      penPressure: true,
    };
    const rec = JSON.parse(JSON.stringify(encode(m, { ...defaultSettings(), backendChoice: 'auto' }, tools)));
    expect(decode(migrate(rec)).tools).toEqual(tools);
    const bad = decode({
      ...rec,
      tools: { tool: 'laser', brushSize: 1e9, predBrush: { cls: 99, radius: 'x', strength: -1 }, penPressure: 1 },
    }).tools;
    expect(bad).toEqual({
      tool: 'brush',
      brushSize: BRUSH_MAX,
      predBrush: { cls: m.numClasses - 1, radius: 8, strength: 0.05, mode: 'raise' },
      penPressure: false,
    });
  });

  it('base64 helpers are inverse', () => {
    const b = new Uint8Array([0, 1, 2, 250, 255, 128]);
    expect(Array.from(fromBase64(toBase64(b)))).toEqual(Array.from(b));
  });

  it('use the runtime’s Uint8Array base64 methods where it has them, with the same text', () => {
    const b = new Uint8Array(100_003).map((_, i) => (i * 2654435761) >>> 24);
    const fallback = toBase64(b); // Node 20 has no native methods: the fallback
    const proto = Uint8Array.prototype as unknown as Record<string, unknown>;
    const ctor = Uint8Array as unknown as Record<string, unknown>;
    expect(proto.toBase64).toBeUndefined();
    const calls: string[] = [];
    proto.toBase64 = function (this: Uint8Array) {
      calls.push('to');
      return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('base64');
    };
    ctor.fromBase64 = (text: string) => {
      calls.push('from');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new SyntaxError('bad base64');
      return new Uint8Array(Buffer.from(text, 'base64'));
    };
    try {
      expect(toBase64(b)).toBe(fallback);
      expect(Array.from(fromBase64(fallback))).toEqual(Array.from(b));
      expect(calls).toEqual(['to', 'from']);
      // what decode() reports for a bad string is the same either way
      const rec = JSON.parse(JSON.stringify(encode(exampleMasks(8), { ...defaultSettings(), backendChoice: 'auto' })));
      expect(() => decode({ ...rec, masks: { ...rec.masks, target: '***' } })).toThrow(/not valid base64/);
    } finally {
      delete proto.toBase64;
      delete ctor.fromBase64;
    }
  });
});

describe('session validation like share links', () => {
  const rec = () =>
    JSON.parse(JSON.stringify(encode(exampleMasks(64), { ...defaultSettings(), backendChoice: 'auto' })));

  it.each([
    ['a string', { focal: { gamma: 'abc' } }, /focal.*gamma.*abc|gamma/],
    ['a negative focal gamma', { focal: { gamma: -5 } }, /gamma/],
    ['an array', { focal: { gamma: [1, 2] } }, /gamma/],
    ['an unknown parameter', { dice: { zzz: 1 } }, /zzz/],
  ])('refuses a restored parameter that is %s', (_, params, why) => {
    const r = rec();
    expect(() => decode({ ...r, settings: { ...r.settings, params } })).toThrow(SessionError);
    expect(() => decode({ ...r, settings: { ...r.settings, params } })).toThrow(why);
  });

  it('keeps valid parameters and drops those of losses this build does not know', () => {
    const r = rec();
    const back = decode({ ...r, settings: { ...r.settings, params: { focal: { gamma: 3 }, 'old-loss': { a: 1 } } } });
    expect(back.settings.params).toEqual({ focal: { gamma: 3 } });
  });

  it('refuses masks larger than the explorer computes on', () => {
    const r = rec();
    expect(() => decode({ ...r, masks: { ...r.masks, width: 1024, height: 1024 } })).toThrow(/at most 512 px/);
  });

  it('quotes a huge saved loss id only in part', () => {
    const r = rec();
    const err = (() => {
      try {
        decode({ ...r, settings: { ...r.settings, focusedLoss: 'y'.repeat(4_000_000) } });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message.length).toBeLessThan(200);
  });
});

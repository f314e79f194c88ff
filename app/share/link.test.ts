import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src';
import { exampleMasks } from '../editing/example';
import { deflateRaw, fromBase64Url, inflateRaw, toBase64Url } from './bytes';
import {
  buildShareLinks,
  CURRENT_LINK_VERSION,
  decodeShareHash,
  encodeShareHash,
  linkPrecisionLogits,
  MAX_LINK_LENGTH,
  migrateLink,
  nonDefaultParams,
  type ShareState,
} from './link';
import {
  decodeLabelRuns,
  encodeLabelRuns,
  logitsFromQuantised,
  packPrediction,
  quantiseLogits,
  quantiseProbabilities,
  unpackPrediction,
} from './masks-codec';

function state(over: Partial<ShareState> = {}): ShareState {
  return {
    focusedLoss: 'tversky',
    params: { tversky: { alpha: 0.7, beta: 0.3 }, dice: {} },
    gridSize: 64,
    disabled: ['inverseform'],
    heatmapMode: 'probability',
    heatmapClass: 1,
    multiples: ['dice', 'iou'],
    masks: exampleMasks(64),
    ...over,
  };
}

/** Replaces one key's value in a share hash. */
function withKey(hash: string, key: string, value: string | null): string {
  const q = new URLSearchParams(hash.slice(1));
  if (value === null) q.delete(key);
  else q.set(key, value);
  return `#${q.toString()}`;
}

const opts = { numClasses: 2 };

describe('share link bytes', () => {
  it('base64url round-trips every byte value and rejects foreign characters', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toBase64Url(all);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Array.from(fromBase64Url(text))).toEqual(Array.from(all));
    expect(() => fromBase64Url('ab+c')).toThrow(/not base64url/);
  });

  it('deflate-raw round-trips and rejects a cut-off stream', async () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 13);
    const z = await deflateRaw(data);
    expect(Array.from(await inflateRaw(z))).toEqual(Array.from(data));
    await expect(inflateRaw(z.subarray(0, z.length >> 1))).rejects.toThrow();
  });
});

describe('mask codec', () => {
  it('run-length codes labels losslessly', () => {
    const m = exampleMasks(64);
    const back = decodeLabelRuns(encodeLabelRuns(m.target), m.target.length, 2);
    expect(Array.from(back)).toEqual(Array.from(m.target));
  });

  it('quantises each pixel to bytes that sum to 255', () => {
    const q = quantiseProbabilities(Float32Array.from([1 / 3, 1 / 3, 1 / 3, 0.5, 0.5, 0, 1, 0, 0]), 3);
    expect(Array.from(q)).toEqual([85, 85, 85, 128, 127, 0, 255, 0, 0]);
  });

  it('packs and unpacks the prediction planes, and the 8-bit precision is a fixed point', () => {
    const m = exampleMasks(64);
    const q = quantiseLogits(m.logits, 2);
    expect(Array.from(unpackPrediction(packPrediction(q, 64, 64, 2), 64, 64, 2))).toEqual(Array.from(q));
    const once = linkPrecisionLogits(m);
    const twice = linkPrecisionLogits({ ...m, logits: once });
    expect(Array.from(twice)).toEqual(Array.from(once));
    expect(Array.from(logitsFromQuantised(Uint8Array.from([255, 0])))).toEqual([0, Math.fround(Math.log(1e-4))]);
  });
});

describe('share link', () => {
  it('round-trips settings and masks; the prediction comes back at link precision', async () => {
    const s = state();
    const hash = await encodeShareHash(s);
    expect(hash.startsWith(`#share=v${CURRENT_LINK_VERSION}&`)).toBe(true);
    const back = await decodeShareHash(hash, opts);
    expect(back.focusedLoss).toBe('tversky');
    expect(back.params).toEqual(nonDefaultParams(s.params));
    expect(back.disabled).toEqual(['inverseform']);
    expect(back.multiples).toEqual(['dice', 'iou']);
    expect(back.heatmapMode).toBe('probability');
    expect(back.gridSize).toBe(64);
    expect(Array.from(back.masks?.target ?? [])).toEqual(Array.from(s.masks?.target ?? []));
    expect(Array.from(back.masks?.logits ?? [])).toEqual(Array.from(linkPrecisionLogits(exampleMasks(64))));
  });

  it('keeps only parameters that differ from the defaults, exactly', async () => {
    const p = nonDefaultParams({ dice: { smoothNr: 1e-5, smoothDr: 0.1 + 0.2 }, iou: {} });
    expect(p).toEqual({ dice: { smoothDr: 0.1 + 0.2 } });
    const back = await decodeShareHash(await encodeShareHash(state({ params: p, masks: null })), opts);
    expect(back.params.dice?.smoothDr).toBe(0.1 + 0.2);
    expect(back.masks).toBeNull();
  });

  it.each([
    ['unknown version', (h: string) => withKey(h, 'share', 'v99'), /newer version/],
    ['malformed version', (h: string) => withKey(h, 'share', 'one'), /not of the form/],
    ['unknown loss id', (h: string) => withKey(h, 'loss', 'not-a-loss'), /unknown loss id 'not-a-loss'/],
    ['bad grid', (h: string) => withKey(h, 'grid', '100'), /grid size '100'/],
    ['truncated', (h: string) => h.slice(0, h.length - 40), /incomplete|cut off|damaged/],
    ['NaN parameter', (h: string) => withKey(h, 'p', '{"dice":{"smoothNr":"NaN"}}'), /finite number/],
    ['null parameter', (h: string) => withKey(h, 'p', '{"dice":{"smoothNr":null}}'), /smoothNr/],
    ['out-of-range parameter', (h: string) => withKey(h, 'p', '{"tversky":{"alpha":7}}'), /alpha/],
    ['unknown parameter', (h: string) => withKey(h, 'p', '{"dice":{"zzz":1}}'), /zzz/],
    ['parameters not JSON', (h: string) => withKey(h, 'p', '{"dice":'), /not valid JSON/],
    ['size mismatch', (h: string) => withKey(h, 'size', '64x63x2'), /covers|pixels/],
    ['grid vs masks', (h: string) => withKey(h, 'grid', '128'), /does not match/],
    ['bad class count', (h: string) => withKey(h, 'size', '64x64x9'), /number of classes 9/],
    ['missing prediction', (h: string) => withKey(h, 'pred', null), /masks are incomplete/],
    ['damaged data', (h: string) => withKey(h, 'gt', 'AAAA'), /ground truth/],
    ['foreign characters', (h: string) => withKey(h, 'pred', 'ab!c'), /prediction/],
    ['unknown comparison loss', (h: string) => withKey(h, 'cmp', 'dice.nope'), /unknown loss 'nope'/],
    ['heatmap class out of range', (h: string) => withKey(h, 'hc', '5'), /heatmap class 5/],
  ])('rejects a link with %s', async (_, mangle, why) => {
    const hash = await encodeShareHash(state());
    await expect(decodeShareHash(mangle(hash), opts)).rejects.toThrow(why);
  });

  it('rejects class indices beyond the number of classes', async () => {
    const m = exampleMasks(64);
    const labels = m.target.map((v) => (v === 1 ? 3 : 0));
    const gt = toBase64Url(await deflateRaw(encodeLabelRuns(labels)));
    const hash = withKey(await encodeShareHash(state()), 'gt', gt);
    await expect(decodeShareHash(hash, opts)).rejects.toThrow(/class 3, but the link has 2 classes/);
  });

  it('rejects prediction bytes whose probabilities sum above 1', async () => {
    const bytes = new Uint8Array(64 * 64 * 2); // 3 classes: classes 1 and 2 stored
    bytes[0] = 200;
    bytes[64 * 64] = 200;
    const hash = withKey(
      withKey(
        await encodeShareHash(
          state({ masks: { ...exampleMasks(64), numClasses: 3, logits: new Float32Array(64 * 64 * 3) } }),
        ),
        'pred',
        toBase64Url(await deflateRaw(bytes)),
      ),
      'size',
      '64x64x3',
    );
    await expect(decodeShareHash(hash, opts)).rejects.toThrow(/sum to more than 1/);
  });

  it('checks per-class parameters against the receiver when the link has no masks', async () => {
    const hash = await encodeShareHash(
      state({ masks: null, params: { 'cross-entropy': { classWeights: [1, 2, 3] } } }),
    );
    await expect(decodeShareHash(hash, { numClasses: 3 })).resolves.toBeTruthy();
    await expect(decodeShareHash(hash, { numClasses: 2 })).rejects.toThrow(/per class|entry|classes/);
  });

  it('migrates older link versions in order', () => {
    const steps = {
      1: (r: Record<string, string>) => ({ ...r, loss: r.l ?? '' }),
      2: (r: Record<string, string>) => ({ ...r, grid: String(Number(r.g) * 2) }),
    };
    expect(migrateLink({ share: 'v1', l: 'dice', g: '32' }, steps, 3)).toEqual({
      share: 'v3',
      l: 'dice',
      g: '32',
      loss: 'dice',
      grid: '64',
    });
    expect(() => migrateLink({ share: 'v1' }, {}, 2)).toThrow(/no migration from link format v1/);
    expect(() => migrateLink({ share: 'v0' }, {}, 2)).toThrow(/does not exist/);
  });

  it('flags links over the size limit and offers one without masks', async () => {
    const small = await buildShareLinks('http://x.test/app/#old', state());
    expect(small.tooLong).toBe(false);
    expect(small.full.startsWith('http://x.test/app/#share=v1&')).toBe(true);
    expect(small.withoutMasks).not.toMatch(/gt=|pred=/);
    // Noise does not compress: a 256² three-class random prediction is far over the limit.
    const n = 256 * 256;
    const rnd = mulberry32(7);
    const big = {
      width: 256,
      height: 256,
      numClasses: 3,
      target: Int32Array.from({ length: n }, () => Math.floor(rnd() * 3)),
      logits: Float32Array.from({ length: n * 3 }, () => rnd() * 2),
    };
    const links = await buildShareLinks('http://x.test/', state({ gridSize: 256, masks: big, heatmapClass: 2 }));
    expect(links.full.length).toBeGreaterThan(MAX_LINK_LENGTH);
    expect(links.tooLong).toBe(true);
    expect(links.withoutMasks.length).toBeLessThan(1000);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dump } from 'npyjs';
import { describe, expect, it } from 'vitest';
import { exampleMasks } from '../editing/example';
import { P_MIN } from '../editing/grid';
import { PALETTE } from '../editing/palette';
import { probabilitiesFromLogits } from '../editing/prediction';
import { applyPredictionUpload, applyTargetUpload, TooLargeError } from './apply';
import { UploadError } from './errors';
import { fileKind, sniffKind } from './files';
import { labelMapFromRGBA } from './labelmap';
import { interpretNpy, parseNpy } from './npy';
import { predictionFromGreyRGBA } from './prediction-image';
import { presetFiles } from './preset-files';
import { parsePreset } from './presets';

function rgba(pixels: [number, number, number][]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(pixels.length * 4);
  pixels.forEach(([r, g, b], i) => {
    out.set([r, g, b, 255], i * 4);
  });
  return out;
}
const grey = (vs: number[]) => rgba(vs.map((v) => [v, v, v]));

function kindOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof UploadError ? e.kind : `other: ${(e as Error).message}`;
  }
  return 'no error';
}

describe('label maps', () => {
  it('reads {0,255} as binary', () => {
    const m = labelMapFromRGBA(grey([0, 255, 255, 0]), 2, 2);
    expect(m.mode).toBe('binary');
    expect([...m.labels]).toEqual([0, 1, 1, 0]);
    expect(m.numClasses).toBe(2);
  });
  it('accepts slightly tinted greys from lossy codecs', () => {
    const m = labelMapFromRGBA(
      rgba([
        [2, 0, 3],
        [250, 255, 252],
        [255, 255, 255],
        [0, 0, 0],
      ]),
      2,
      2,
    );
    expect(m.mode).toBe('binary-thresholded');
    expect([...m.labels]).toEqual([0, 1, 1, 0]);
  });
  it('reads small grey values as class indices', () => {
    const m = labelMapFromRGBA(grey([0, 1, 3, 2]), 2, 2);
    expect(m.mode).toBe('grey-index');
    expect([...m.labels]).toEqual([0, 1, 3, 2]);
    expect(m.numClasses).toBe(4);
  });
  it('thresholds near-binary (JPEG) masks', () => {
    const m = labelMapFromRGBA(grey([3, 250, 251, 10]), 2, 2);
    expect(m.mode).toBe('binary-thresholded');
    expect([...m.labels]).toEqual([0, 1, 1, 0]);
  });
  it('rejects grey maps with more than 8 classes', () => {
    expect(kindOf(() => labelMapFromRGBA(grey([0, 9, 100, 200]), 2, 2))).toBe('too-many-classes');
    expect(kindOf(() => labelMapFromRGBA(grey([0, 9, 3, 8]), 2, 2))).toBe('too-many-classes');
  });
  it('maps palette colours to classes', () => {
    const m = labelMapFromRGBA(
      rgba([PALETTE[0]!.rgb as never, PALETTE[2]!.rgb as never, [232, 160, 3], PALETTE[7]!.rgb as never]),
      2,
      2,
    );
    expect(m.mode).toBe('palette');
    expect([...m.labels]).toEqual([0, 2, 1, 7]);
  });
  it('falls back to the red channel, else explains', () => {
    const m = labelMapFromRGBA(
      rgba([
        [0, 50, 9],
        [2, 3, 4],
        [1, 200, 0],
        [0, 0, 1],
      ]),
      2,
      2,
    );
    expect(m.mode).toBe('red-index');
    expect([...m.labels]).toEqual([0, 2, 1, 0]);
    expect(
      kindOf(() =>
        labelMapFromRGBA(
          rgba([
            [100, 50, 9],
            [2, 3, 4],
            [1, 200, 0],
            [0, 0, 1],
          ]),
          2,
          2,
        ),
      ),
    ).toBe('bad-values');
  });
});

describe('grey predictions', () => {
  it('maps v/255 to clamped foreground logits', () => {
    const p = predictionFromGreyRGBA(grey([0, 255, 51, 128]), 2, 2);
    expect(p.numClasses).toBe(2);
    expect(p.logits[0]).toBe(0);
    expect(p.logits[1]).toBeCloseTo(Math.log(P_MIN / (1 - P_MIN)), 5);
    expect(p.logits[3]).toBeCloseTo(Math.log((1 - P_MIN) / P_MIN), 5);
    expect(p.logits[5]).toBeCloseTo(Math.log(0.2 / 0.8), 5);
    expect(kindOf(() => predictionFromGreyRGBA(rgba([[10, 80, 200]]), 1, 1))).toBe('not-greyscale');
    expect(predictionFromGreyRGBA(rgba([[50, 52, 51]]), 1, 1).logits[1]).toBeCloseTo(Math.log(0.2 / 0.8), 5);
  });
});

describe('.npy predictions', () => {
  const H = 3;
  const W = 4;
  const C = 3;
  const probsHWC = new Float32Array(H * W * C);
  for (let i = 0; i < H * W; i++) {
    const a = (i % 5) / 10;
    probsHWC.set([a, 0.3, 0.7 - a], i * C);
  }
  const chw = new Float32Array(H * W * C);
  for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) chw[c * H * W + i] = probsHWC[i * C + c]!;

  it('reads H×W×C and C×H×W probabilities to the same logits', () => {
    const a = interpretNpy(parseNpy(dump(probsHWC, [H, W, C])));
    const b = interpretNpy(parseNpy(dump(chw, [C, H, W])));
    expect(a.layout).toBe('HxWxC');
    expect(b.layout).toBe('CxHxW');
    expect(a.interpretation).toBe('probabilities');
    expect([a.width, a.height, a.numClasses]).toEqual([W, H, C]);
    for (let i = 0; i < a.logits.length; i++) expect(b.logits[i]).toBeCloseTo(a.logits[i]!, 6);
    const back = probabilitiesFromLogits(a.logits, C);
    expect(back[1]).toBeCloseTo(0.3, 3); // the clamped zero adds 1e-4 of mass
    expect(a.logits[0]).toBeCloseTo(Math.log(P_MIN), 5); // p = 0 clamped
  });

  it('reads other values as logits, and honours the override', () => {
    const z = Float32Array.from(probsHWC, (v) => v * 4 - 1);
    const a = interpretNpy(parseNpy(dump(z, [H, W, C])));
    expect(a.interpretation).toBe('logits');
    expect(a.logits).toEqual(z);
    const forced = interpretNpy(parseNpy(dump(probsHWC, [H, W, C])), { reading: 'logits' });
    expect(forced.logits).toEqual(probsHWC);
  });

  it('reads H×W as a foreground probability or logit, float64 and uint8 too', () => {
    const p = interpretNpy(parseNpy(dump(new Float64Array([0, 0.5, 1, 0.25]), [2, 2])));
    expect(p.layout).toBe('HxW');
    expect(p.logits[3]).toBeCloseTo(0, 6);
    expect(p.logits[7]).toBeCloseTo(Math.log(1 / 3), 5);
    const z = interpretNpy(parseNpy(dump(new Float32Array([-3, 2, 0, 5]), [2, 2])));
    expect(z.interpretation).toBe('logits');
    expect(z.logits[1]).toBe(-3);
    const u = interpretNpy(parseNpy(dump(new Uint8Array([0, 255, 51, 0]), [2, 2])));
    expect(u.logits[5]).toBeCloseTo(Math.log(0.2 / 0.8), 5);
  });

  it('uses the GT size to settle ambiguous layouts, and handles Fortran order', () => {
    const small = new Float32Array(2 * 2 * 2).fill(0.5);
    expect(interpretNpy(parseNpy(dump(small, [2, 2, 2]))).layout).toBe('HxWxC');
    // Fortran-ordered H×W: data column-major
    const f = interpretNpy({
      data: new Float32Array([1, 2, 3, 4, 5, 6]),
      shape: [2, 3],
      dtype: 'f4',
      fortranOrder: true,
    });
    expect([f.logits[1], f.logits[3], f.logits[5], f.logits[7]]).toEqual([1, 3, 5, 2]);
  });

  it('rejects corrupt files, odd dtypes and too many classes', () => {
    expect(kindOf(() => parseNpy(new Uint8Array([1, 2, 3]).buffer))).toBe('corrupt');
    expect(kindOf(() => interpretNpy(parseNpy(dump(new Int32Array(4), [2, 2]))))).toBe('wrong-type');
    expect(kindOf(() => interpretNpy(parseNpy(dump(new Float32Array(9 * 10 * 10), [10, 10, 9]))))).toBe(
      'too-many-classes',
    );
  });
});

describe('applying uploads', () => {
  const cur = exampleMasks(64);
  it('replaces the target, keeping the prediction on the same grid', () => {
    const map = labelMapFromRGBA(grey(new Array(64 * 64).fill(0).map((_, i) => (i % 7 === 0 ? 255 : 0))), 64, 64);
    const r = applyTargetUpload(cur, map);
    expect(r.masks.logits).toBe(cur.logits);
    expect(r.masks.target).toBe(map.labels);
    expect(r.notice).toBeUndefined();
  });
  it('resets the prediction when the grid changes, and grows classes', () => {
    const map = labelMapFromRGBA(grey([0, 1, 2, 3]), 2, 2);
    const r = applyTargetUpload(cur, map);
    expect([r.masks.width, r.masks.numClasses]).toEqual([2, 4]);
    expect(r.notice).toMatch(/reset/);
  });
  it('offers downsampling beyond 512 px', () => {
    const big = { width: 600, height: 300, labels: new Int32Array(600 * 300), numClasses: 2, mode: 'binary' as const };
    let err: unknown;
    try {
      applyTargetUpload(cur, big);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TooLargeError);
    expect((err as TooLargeError).suggested).toEqual({ width: 512, height: 256 });
    const r = applyTargetUpload(cur, big, { downsample: true });
    expect([r.masks.width, r.masks.height]).toEqual([512, 256]);
  });
  it('checks prediction size and classes against the GT', () => {
    const p = predictionFromGreyRGBA(grey(new Array(32 * 32).fill(128)), 32, 32);
    expect(kindOf(() => applyPredictionUpload(cur, p))).toBe('size-mismatch');
    const ok = predictionFromGreyRGBA(grey(new Array(64 * 64).fill(128)), 64, 64);
    const r = applyPredictionUpload(cur, ok);
    expect(r.masks.target).toBe(cur.target);
    expect(r.masks.logits).toBe(ok.logits);
    const three = { ...cur, target: cur.target.map((v) => (v ? 2 : 0)), numClasses: 3 };
    expect(kindOf(() => applyPredictionUpload(three, ok))).toBe('too-many-classes');
  });
});

describe('files and presets', () => {
  it('recognises file kinds by name and magic bytes', () => {
    expect(fileKind('a.PNG', '')).toBe('image');
    expect(fileKind('x.npy', '')).toBe('npy');
    expect(fileKind('x.txt', 'text/plain')).toBe('unknown');
    expect(sniffKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]))).toBe('image');
    expect(sniffKind(new Uint8Array(dump(new Float32Array(1), [1])))).toBe('npy');
    expect(sniffKind(new TextEncoder().encode('hello world!'))).toBe('unknown');
  });

  it('committed preset files match their sources and load', () => {
    const { files, index } = presetFiles();
    const dir = resolve(import.meta.dirname, '../../public/presets');
    expect(JSON.parse(readFileSync(resolve(dir, 'index.json'), 'utf8'))).toEqual(index);
    expect(index.map((e) => e.id)).toEqual(
      expect.arrayContaining([
        'small-lesion',
        'thin-vessels',
        'organ-boundary-shift',
        'multi-organ',
        'noisy-partial',
        'no-overlap',
      ]),
    );
    for (const [name, text] of Object.entries(files)) {
      expect(readFileSync(resolve(dir, name), 'utf8')).toBe(text);
      const p = parsePreset(JSON.parse(text));
      expect(p.masks.logits.length).toBe(p.masks.width * p.masks.height * p.masks.numClasses);
      expect(p.masks.logits.every(Number.isFinite)).toBe(true);
    }
    const lesion = parsePreset(JSON.parse(files['small-lesion.json']!));
    const fg = lesion.masks.target.reduce((n, v) => n + v, 0) / lesion.masks.target.length;
    expect(fg).toBeLessThan(0.01);
    const multi = parsePreset(JSON.parse(files['multi-organ.json']!));
    expect(new Set(multi.masks.target).size).toBe(4);
  });
});

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { orientationOf, sliceCount } from './orient';
import { MAX_VOXELS, NiftiError, readNifti } from './read';
import { autoWindow, classVolume, maskSlice, predictionVolume, sameGrid, windowedSlice } from './slices';
import { writeNifti1, writeNifti2 } from './write';

/** A 6×5×4 label volume: class (x + 2y + z) mod 3 — every voxel distinguishable enough to test orientation. */
const DIMS = [6, 5, 4] as const;
function labelsRas(): Int32Array {
  const out = new Int32Array(6 * 5 * 4);
  for (let z = 0; z < 4; z++)
    for (let y = 0; y < 5; y++) for (let x = 0; x < 6; x++) out[x + 6 * (y + 5 * z)] = (x + 2 * y + z) % 3;
  return out;
}

describe('NIfTI reading', () => {
  it('reads .nii and .nii.gz label volumes with scaling applied', () => {
    const labels = labelsRas();
    const nii = writeNifti1(DIMS, labels, { dtype: 'int16' });
    const a = readNifti(nii);
    expect(a.dims).toEqual([6, 5, 4, 1]);
    expect(Array.from(a.data)).toEqual(Array.from(labels));
    expect(a.integer).toBe(true);
    const b = readNifti(gzipSync(nii));
    expect(Array.from(b.data)).toEqual(Array.from(labels));
    const scaled = readNifti(writeNifti1([2, 2, 1], [0, 1, 2, 3], { dtype: 'uint8', sclSlope: 0.5, sclInter: 1 }));
    expect(Array.from(scaled.data)).toEqual([1, 1.5, 2, 2.5]);
  });

  it('reads NIfTI-2 the same as NIfTI-1', () => {
    const labels = labelsRas();
    const lps = [
      [-1, 0, 0, 5],
      [0, -1, 0, 4],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ];
    const one = readNifti(writeNifti1(DIMS, labels, { dtype: 'float64', affine: lps }));
    const two = readNifti(gzipSync(writeNifti2(DIMS, labels, { dtype: 'float64', affine: lps })));
    expect(two.dims).toEqual(one.dims);
    expect(Array.from(two.data)).toEqual(Array.from(one.data));
    expect(orientationOf(two.affine, two.dims).codes).toBe('LPS');
  });

  it('refuses bad files with a message that says what is wrong', () => {
    const good = writeNifti1(DIMS, labelsRas(), { dtype: 'int16' });
    expect(() => readNifti(good.slice(0, 400), 'cut.nii')).toThrow(/cut.nii is cut off or its header is wrong/);
    expect(() => readNifti(new Uint8Array(600), 'x.nii')).toThrow(/not a NIfTI-1 or NIfTI-2 file/);
    expect(() => readNifti(gzipSync(good).slice(0, 60), 'y.nii.gz')).toThrow(/does not decompress|not a NIfTI/);
    expect(() =>
      readNifti(writeNifti1([2, 2, 1], [1, 2, 3, 4], { dtype: 'int32', datatypeCode: 128 }), 'rgb.nii'),
    ).toThrow(/RGB24 voxels/);
    expect(() =>
      readNifti(writeNifti1([2, 2, 1], [1, Number.NaN, 3, Number.POSITIVE_INFINITY], { dtype: 'float32' }), 'n.nii'),
    ).toThrow(/2 NaN or infinite voxels/);
    // A header that claims a huge volume is refused from the header alone (the file is tiny).
    const lying = writeNifti1([2, 2, 1], [0, 0, 0, 0], { dtype: 'uint8' });
    const v = new DataView(lying.buffer);
    v.setInt16(42, 2048, true);
    v.setInt16(44, 2048, true);
    v.setInt16(46, 32, true);
    expect(2048 * 2048 * 32).toBeGreaterThan(MAX_VOXELS);
    expect(() => readNifti(lying, 'big.nii')).toThrow(/at most 67,108,864/);
  });

  it('refuses ground truths with more than 8 labels or negative labels', () => {
    const many = Array.from({ length: 16 }, (_, i) => i % 10);
    expect(() => classVolume(readNifti(writeNifti1([4, 4, 1], many, { dtype: 'uint8' })), 'gt.nii')).toThrow(
      /more than 8 labels/,
    );
    expect(() => classVolume(readNifti(writeNifti1([2, 1, 1], [0, -1], { dtype: 'int16' })), 'gt.nii')).toThrow(
      /negative label -1/,
    );
  });
});

describe('NIfTI orientation and slices', () => {
  it('reads the orientation from the affine', () => {
    expect(
      orientationOf(
        [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ],
        [6, 5, 4],
      ).codes,
    ).toBe('RAS');
    expect(
      orientationOf(
        [
          [-1, 0, 0, 0],
          [0, -1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ],
        [6, 5, 4],
      ).codes,
    ).toBe('LPS');
    const o = orientationOf(
      [
        [0, 0, 2, 0],
        [1, 0, 0, 0],
        [0, -1, 0, 0],
        [0, 0, 0, 1],
      ],
      [4, 3, 5],
    );
    expect(o.codes).toBe('AIR');
    expect(o.size).toEqual([5, 4, 3]);
  });

  it('gives the same slices for a volume stored RAS and the same volume stored LPS', () => {
    const ras = labelsRas();
    // LPS storage: voxel i runs right → left, j anterior → posterior.
    const lps = new Int32Array(ras.length);
    for (let z = 0; z < 4; z++)
      for (let y = 0; y < 5; y++)
        for (let x = 0; x < 6; x++) lps[5 - x + 6 * (4 - y + 5 * z)] = ras[x + 6 * (y + 5 * z)] as number;
    const a = classVolume(readNifti(writeNifti1(DIMS, ras, { dtype: 'int16' })), 'ras');
    const b = classVolume(
      readNifti(
        writeNifti1(DIMS, lps, {
          dtype: 'int16',
          affine: [
            [-1, 0, 0, 5],
            [0, -1, 0, 4],
            [0, 0, 1, 0],
            [0, 0, 0, 1],
          ],
        }),
      ),
      'lps',
    );
    sameGrid(a.orientation, b.orientation, 'lps');
    for (const plane of ['axial', 'coronal', 'sagittal'] as const)
      for (let i = 0; i < sliceCount(a.orientation, plane); i++)
        expect(Array.from(maskSlice(b, null, plane, i).target), `${plane} ${i}`).toEqual(
          Array.from(maskSlice(a, null, plane, i).target),
        );
    // Radiological axial view: screen column 0 is the patient's right (x = 5), row 0 anterior (y = 4).
    const ax = maskSlice(a, null, 'axial', 2);
    expect([ax.width, ax.height]).toEqual([6, 5]);
    expect(ax.target[0]).toBe((5 + 2 * 4 + 2) % 3);
    expect(maskSlice(a, null, 'sagittal', 0).width).toBe(5);
  });

  it('turns predictions into logits: labels, a foreground probability, class probabilities', () => {
    const gt = classVolume(readNifti(writeNifti1([2, 2, 1], [0, 1, 1, 0], { dtype: 'uint8' })), 'gt');
    const fg = predictionVolume(readNifti(writeNifti1([2, 2, 1], [0.1, 0.8, 0.6, 0], { dtype: 'float32' })), 'p');
    expect(fg.kind).toBe('foreground probability');
    const m = maskSlice(gt, fg, 'axial', 0);
    // Column 0 is x = 1 (radiological), row 0 is y = 1: voxel (1, 1) holds p = 0 → clamped to 1e-4.
    const p1 = (i: number) => 1 / (1 + Math.exp((m.logits[2 * i] as number) - (m.logits[2 * i + 1] as number)));
    expect(p1(0)).toBeCloseTo(1e-4, 6);
    expect(p1(3)).toBeCloseTo(0.1, 5);
    const probs = [0.9, 0.2, 0.3, 1, 0.1, 0.8, 0.7, 0]; // class 0 frame, then class 1
    const cp = predictionVolume(readNifti(writeNifti1([2, 2, 1, 2], probs, { dtype: 'float32' })), 'p4');
    expect(cp.kind).toBe('class probabilities');
    expect(cp.numClasses).toBe(2);
    const lab = predictionVolume(readNifti(writeNifti1([2, 2, 1], [0, 2, 1, 0], { dtype: 'uint8' })), 'l');
    expect(lab.kind).toBe('labels');
    expect(lab.numClasses).toBe(3);
    expect(maskSlice(gt, lab, 'axial', 0).numClasses).toBe(3);
    expect(() => predictionVolume(readNifti(writeNifti1([2, 1, 1], [0.5, 3.5], { dtype: 'float32' })), 'bad')).toThrow(
      /outside \[0, 1\]/,
    );
  });

  it('windows an underlay slice', () => {
    const ct = readNifti(writeNifti1([2, 1, 1], [-1000, 40], { dtype: 'int16' }));
    const o = orientationOf(ct.affine, ct.dims);
    const s = windowedSlice(ct, o, 'axial', 0, { level: 40, width: 400 });
    expect(Array.from(s.grey)).toEqual([128, 0]); // column 0 is x = 1 (40 HU, mid-grey); −1000 HU is black
    const w = autoWindow(ct);
    expect(w.width).toBeGreaterThan(0);
  });

  it('refuses a prediction on another grid', () => {
    const a = classVolume(readNifti(writeNifti1([2, 2, 1], [0, 1, 1, 0], { dtype: 'uint8' })), 'gt');
    const b = predictionVolume(readNifti(writeNifti1([3, 2, 1], [0, 1, 1, 0, 0, 0], { dtype: 'uint8' })), 'p');
    expect(() => sameGrid(a.orientation, b.orientation, 'the prediction')).toThrow(
      /3×2×1 voxels but the ground truth is 2×2×1/,
    );
    expect(NiftiError).toBeDefined();
  });
});

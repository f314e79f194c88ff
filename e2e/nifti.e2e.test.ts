// NIfTI volumes in the explorer (issue 15 §1): a ground-truth label volume and a prediction volume stored in
// another voxel order (LPS vs RAS) are uploaded; moving the slice (slider, keyboard) and the plane changes the
// masks to that slice, and the values shown equal the library's on the same slice computed in Node. A CT
// underlay is windowed; a mismatched or damaged volume gets a message and changes nothing.
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { readNifti } from '../app/io/nifti/read';
import { classVolume, maskSlice, predictionVolume } from '../app/io/nifti/slices';
import { writeNifti1 } from '../app/io/nifti/write';
import { compareValues, flush, masksOf, nodeValues, shownValues, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

const [X, Y, Z] = [40, 32, 12];

/** Two organs (classes 1 and 2) growing along z, stored RAS. */
function gtRas(): Int32Array {
  const out = new Int32Array(X * Y * Z);
  for (let z = 0; z < Z; z++)
    for (let y = 0; y < Y; y++)
      for (let x = 0; x < X; x++) {
        const r = 4 + z * 0.6;
        if ((x - 12) ** 2 + (y - 16) ** 2 < r * r) out[x + X * (y + Y * z)] = 1;
        else if (Math.abs(x - 30) < 3 + z / 3 && Math.abs(y - 12) < 5) out[x + X * (y + Y * z)] = 2;
      }
  return out;
}

/** A 4-D class-probability prediction, shifted by 2 voxels in x, stored LPS (i: right → left, j: anterior → posterior). */
function predLps(gt: Int32Array): Float32Array {
  const out = new Float32Array(X * Y * Z * 3);
  const frame = X * Y * Z;
  for (let z = 0; z < Z; z++)
    for (let y = 0; y < Y; y++)
      for (let x = 0; x < X; x++) {
        const src = Math.min(X - 1, Math.max(0, x - 2));
        const c = gt[src + X * (y + Y * z)] as number;
        const i = X - 1 - x + X * (Y - 1 - y + Y * z);
        for (let k = 0; k < 3; k++) out[i + k * frame] = k === c ? 0.8 : 0.1;
      }
  return out;
}

const LPS = [
  [-1, 0, 0, X - 1],
  [0, -1, 0, Y - 1],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];

async function upload(page: Page, which: string, name: string, bytes: Uint8Array) {
  await page
    .getByTestId(`upload-nifti-${which}`)
    .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
}

async function sliceIndex(page: Page): Promise<number> {
  return Number(await page.getByTestId('nifti-slice-number').getAttribute('data-index'));
}

describe('NIfTI volumes', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('computes on the chosen slice of a GT and a prediction volume stored in different orientations', async () => {
    const gt = gtRas();
    const gtBytes = gzipSync(writeNifti1([X, Y, Z], gt, { dtype: 'uint8' }));
    const predBytes = writeNifti1([X, Y, Z, 3], predLps(gt), { dtype: 'float32', affine: LPS });
    const gtVol = classVolume(readNifti(gtBytes), 'gt');
    const predVol = predictionVolume(readNifti(predBytes), 'pred');

    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    await page.getByTestId('nifti-panel').locator('summary').click();
    await upload(page, 'gt', 'organs.nii.gz', gtBytes);
    await upload(page, 'pred', 'pred.nii', predBytes);
    await page.getByTestId('nifti-slice').waitFor();

    const check = async (plane: 'axial' | 'coronal' | 'sagittal', index: number) => {
      const want = maskSlice(gtVol, predVol, plane, index);
      await expect.poll(async () => (await masksOf(page)).source).toMatch(new RegExp(`${plane} slice ${index + 1}/`));
      await flush(page);
      const m = await masksOf(page);
      expect([m.width, m.height, m.numClasses]).toEqual([want.width, want.height, want.numClasses]);
      expect(m.target).toEqual(Array.from(want.target));
      const expected = await nodeValues(want.target, want.logits, want.height, want.width, want.numClasses);
      expect(compareValues(await shownValues(page), expected)).toEqual([]);
    };

    expect(await sliceIndex(page)).toBe(Z / 2);
    await check('axial', Z / 2);
    // Keyboard on the slider, then the slider itself.
    await page.getByTestId('nifti-slice').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await sliceIndex(page)).toBe(Z / 2 + 2);
    await check('axial', Z / 2 + 2);
    await page.getByTestId('nifti-slice').fill('3');
    await check('axial', 3);
    await page.getByTestId('nifti-plane').selectOption('coronal');
    await check('coronal', Y / 2);

    // A CT underlay, windowed.
    const ct = Int16Array.from(gt, (v) => (v === 0 ? -1000 : 40));
    await upload(page, 'underlay', 'ct.nii', writeNifti1([X, Y, Z], ct, { dtype: 'int16' }));
    await page.getByTestId('nifti-window').waitFor();
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (
              window as unknown as { __segloss: { store: { getState(): { underlay: { name: string } | null } } } }
            ).__segloss.store.getState().underlay?.name ?? '',
        ),
      )
      .toMatch(/ct\.nii \(coronal/);
    await page.getByTestId('nifti-window').selectOption('lung');
    expect(await page.getByTestId('nifti-level').inputValue()).toBe('-600');

    // A prediction on another grid, and a damaged file: a message, nothing changes.
    const before = await masksOf(page);
    await upload(page, 'pred', 'small.nii', writeNifti1([10, 10, 4], new Float32Array(400), { dtype: 'float32' }));
    await page.getByTestId('nifti-error').getByText('10×10×4 voxels but the ground truth is 40×32×12').waitFor();
    await upload(page, 'gt', 'cut.nii', gtBytes.slice(0, 200));
    await page.getByTestId('nifti-error').getByText('cut.nii').waitFor();
    expect((await masksOf(page)).target).toEqual(before.target);
    expect(errors).toEqual([]);
    await close();
  });
});

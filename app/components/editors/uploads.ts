// Upload handling in the browser: read the file, decode it, run the pure rules of app/io, and either load the
// result (one undo entry) or report the problem. Images are decoded in a worker (io/decode-image.ts). Nothing here changes the masks unless everything succeeded.
import type { Masks } from '../../editing/grid';
import { applyPredictionUpload, applyTargetUpload, TooLargeError, type UploadResult } from '../../io/apply';
import { decodeImageUpload } from '../../io/decode-image';
import { UploadError } from '../../io/errors';
import { fileKind, sniffKind } from '../../io/files';
import { MODE_TEXT } from '../../io/labelmap';
import { interpretNpy, labelsFromNpy, type NpyReading, parseNpy } from '../../io/npy';

export type UploadTarget = 'target' | 'prediction';

export type UploadOutcome =
  | { ok: true; result: UploadResult; source: string }
  | { ok: false; message: string; kind: string; retryDownsampled?: (current: Masks) => Promise<UploadOutcome> };

const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function readKind(file: File): Promise<{ bytes: Uint8Array; kind: 'image' | 'npy' }> {
  if (file.size > MAX_FILE_BYTES) {
    throw new UploadError('too-large', `${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the limit is 64 MB.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const byName = fileKind(file.name, file.type);
  const byBytes = sniffKind(bytes);
  if (byBytes !== 'unknown') return { bytes, kind: byBytes };
  if (byName === 'unknown') {
    throw new UploadError(
      'wrong-type',
      `${file.name || 'This file'} is not a supported file: use a PNG, JPEG or WebP image, or a NumPy .npy array.`,
    );
  }
  throw new UploadError(
    'corrupt',
    `${file.name} looks like ${byName === 'npy' ? 'a .npy file' : 'an image'} by its name, but its content is not ` +
      '(the file is damaged or has the wrong extension).',
  );
}

export async function processUpload(
  file: File,
  what: UploadTarget,
  current: Masks,
  opts: { reading: NpyReading; downsample?: boolean },
): Promise<UploadOutcome> {
  try {
    const { bytes, kind } = await readKind(file);
    let result: UploadResult;
    let how = '';
    if (what === 'target') {
      if (kind === 'npy') {
        const m = labelsFromNpy(parseNpy(bytes.slice().buffer));
        result = applyTargetUpload(current, { ...m, mode: 'grey-index' }, { downsample: opts.downsample });
        how = 'class indices';
      } else {
        const decoded = await decodeImageUpload(bytes, 'target');
        if (decoded.role !== 'target') throw new Error('decoder returned a prediction for a ground truth');
        const { map } = decoded;
        result = applyTargetUpload(current, map, { downsample: opts.downsample });
        how = MODE_TEXT[map.mode];
      }
    } else if (kind === 'npy') {
      const pred = interpretNpy(parseNpy(bytes.slice().buffer), {
        reading: opts.reading,
        expected: { width: current.width, height: current.height },
      });
      result = applyPredictionUpload(current, pred, { downsample: opts.downsample });
      how = `${pred.layout.replace(/x/g, '×')} array`;
    } else {
      const decoded = await decodeImageUpload(bytes, 'prediction');
      if (decoded.role !== 'prediction') throw new Error('decoder returned a ground truth for a prediction');
      result = applyPredictionUpload(current, decoded.pred, {
        downsample: opts.downsample,
      });
      how = 'grey value = foreground probability';
    }
    const notice = [
      `Loaded ${file.name} as ${what === 'target' ? 'ground truth' : 'prediction'} (${how}).`,
      result.notice,
    ]
      .filter(Boolean)
      .join(' ');
    return { ok: true, result: { ...result, notice }, source: file.name };
  } catch (e) {
    if (e instanceof TooLargeError) {
      return {
        ok: false,
        kind: e.kind,
        message: e.message,
        retryDownsampled: (now: Masks) => processUpload(file, what, now, { ...opts, downsample: true }),
      };
    }
    if (e instanceof UploadError) return { ok: false, kind: e.kind, message: e.message };
    return { ok: false, kind: 'corrupt', message: `${file.name} could not be read: ${(e as Error).message}` };
  }
}

/**
 * Image uploads → label map or prediction (browser-only). The header is checked here first, on the page, so an
 * image bomb is refused before anything is allocated; the pixel decode and the reading of the values then run in
 * a module worker (decode-worker.ts) so that a large image does not freeze the page. Where the worker cannot
 * start (no Worker, a blocked script), the same code runs on the page.
 */

import { type DecodedUpload, decodeUpload, type UploadRole } from './decode-upload';
import { UploadError, type UploadErrorKind } from './errors';
import { imageHeaderSize, MAX_DECODE_PIXELS } from './image-header';

/** Throws a 'too-large' UploadError when the header declares more than MAX_DECODE_PIXELS. */
export function checkImageHeader(bytes: Uint8Array): void {
  const head = imageHeaderSize(bytes.subarray(0, 64 * 1024));
  if (head && head.width * head.height > MAX_DECODE_PIXELS) {
    throw new UploadError(
      'too-large',
      `The image declares ${head.width}×${head.height} px (${((head.width * head.height) / 1e6).toFixed(0)} megapixels); ` +
        `the explorer decodes at most ${MAX_DECODE_PIXELS / 1e6} megapixels. Resize it before uploading.`,
    );
  }
}

export interface DecodeRequest {
  id: number;
  bytes: ArrayBuffer;
  role: UploadRole;
}

export type DecodeReply =
  | { id: number; ok: true; result: DecodedUpload }
  | { id: number; ok: false; kind: UploadErrorKind | 'internal'; message: string };

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, { resolve(r: DecodedUpload): void; reject(e: Error): void }>();

/** The decode worker, started on first use; null where workers cannot run (then the page decodes). */
function decodeWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (typeof Worker === 'undefined') return null;
  try {
    const w = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module', name: 'segloss-decode' });
    w.onmessage = (e: MessageEvent<DecodeReply>) => {
      const r = e.data;
      const p = pending.get(r.id);
      pending.delete(r.id);
      if (!p) return;
      if (r.ok) p.resolve(r.result);
      else p.reject(r.kind === 'internal' ? new Error(r.message) : new UploadError(r.kind, r.message));
    };
    // A worker that fails to load or crashes: the waiting uploads (and later ones) are decoded on the page.
    w.onerror = (e) => {
      e.preventDefault();
      worker = null;
      w.terminate();
      for (const p of pending.values()) p.reject(new WorkerGone());
      pending.clear();
    };
    worker = w;
  } catch {
    worker = null;
  }
  return worker;
}

class WorkerGone extends Error {}

async function inWorker(bytes: Uint8Array, role: UploadRole): Promise<DecodedUpload> {
  const w = decodeWorker();
  if (!w) return decodeUpload(bytes, role);
  const id = nextId++;
  const copy = bytes.slice().buffer;
  try {
    return await new Promise<DecodedUpload>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, bytes: copy, role } satisfies DecodeRequest, [copy]);
    });
  } catch (e) {
    if (e instanceof WorkerGone) return decodeUpload(bytes, role);
    throw e;
  }
}

/** Header check, then decode + read the values off the main thread. Throws UploadError for bad images. */
export async function decodeImageUpload(bytes: Uint8Array, role: UploadRole): Promise<DecodedUpload> {
  checkImageHeader(bytes);
  return inWorker(bytes, role);
}

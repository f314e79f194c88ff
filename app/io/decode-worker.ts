/// <reference lib="webworker" />
// The upload decode worker: image bytes in, a label map or prediction out (typed arrays transferred), so that
// decoding a large image never blocks the page. Errors go back as { kind, message } (UploadError) or 'internal'.
import type { DecodeReply, DecodeRequest } from './decode-image';
import { decodeUpload } from './decode-upload';
import { UploadError } from './errors';

self.onmessage = async (e: MessageEvent<DecodeRequest>) => {
  const { id, bytes, role } = e.data;
  let reply: DecodeReply;
  let transfer: Transferable[] = [];
  try {
    const result = await decodeUpload(new Uint8Array(bytes), role);
    reply = { id, ok: true, result };
    transfer = [result.role === 'target' ? result.map.labels.buffer : result.pred.logits.buffer];
  } catch (err) {
    reply =
      err instanceof UploadError
        ? { id, ok: false, kind: err.kind, message: err.message }
        : { id, ok: false, kind: 'internal', message: err instanceof Error ? err.message : String(err) };
  }
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(reply, transfer);
};

// Byte helpers for share links: base64url (RFC 4648 §5, no padding), deflate-raw through the platform's
// CompressionStream (browsers and Node ≥ 18), and LEB128 varints. Pure: no DOM, no store.
import { base64ToBytes, bytesToBase64 } from '../editing/encoding';

export function toBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Throws on characters outside the base64url alphabet (a link mangled by a mail client, say). */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('holds characters that are not base64url');
  if (text.length % 4 === 1) throw new Error('has a length no base64url text can have (truncated?)');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return base64ToBytes(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

export function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream('deflate-raw'));
}

export class InflateLimitError extends Error {}

/**
 * Inflates a deflate-raw stream, reading it chunk by chunk and giving up as soon as the output passes
 * `maxBytes` (a "deflate bomb": 1 kB of link text can inflate to 1 GB). Rejects with InflateLimitError then,
 * and with another error when the data is not a complete deflate-raw stream (corrupt or truncated).
 */
export async function inflateRaw(bytes: Uint8Array, maxBytes = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new InflateLimitError(`inflates to more than the ${maxBytes} bytes its size allows`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function writeVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Reads one varint at `pos`; returns the value and the next position. Throws past the end. */
export function readVarint(bytes: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let mul = 1;
  let p = pos;
  for (;;) {
    if (p >= bytes.length) throw new Error('ends inside a number (truncated?)');
    const b = bytes[p++]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, p];
    mul *= 128;
    if (mul > 2 ** 35) throw new Error('holds a number that is too large');
  }
}

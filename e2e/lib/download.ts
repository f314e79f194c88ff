// The bytes of a download. download.path() works only for a browser this process launched; the browser tests
// connect to the run's shared browser (shared-browser.ts), so the file is streamed from it instead.
import type { Download } from 'playwright-core';

export async function downloadBytes(download: Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

// Running golden files on one backend: cpu / wasm in this Node process, webgl in headless Chromium.
import { type CaseResult, fileErrorResult } from '../../src/golden/check';
import type { BrowserSession } from './browser-session';
import { checkTexts, type GoldenText } from './golden-files';
import { selectNodeBackend } from './node-backend';

export const GOLDEN_BACKENDS = ['cpu', 'wasm', 'webgl'] as const;
export type GoldenBackend = (typeof GOLDEN_BACKENDS)[number];

export async function runNodeGolden(backend: 'cpu' | 'wasm', files: GoldenText[]): Promise<CaseResult[]> {
  await selectNodeBackend(backend);
  return checkTexts(files, backend);
}

/**
 * Runs the files on the page's WebGL backend. Returns the renderer line to print; if the page could not
 * really switch to WebGL, every file counts as failed with that reason (never a silent fallback).
 */
export async function runWebglGolden(
  session: BrowserSession,
  files: GoldenText[],
): Promise<{ header: string; results: CaseResult[] }> {
  try {
    const info = await session.page.setBackend('webgl');
    const header = `webgl in Chromium: tf.getBackend() = '${info.backend}', WebGL ${info.webglVersion}, renderer: ${info.renderer}`;
    return { header, results: await session.page.runGolden(files) };
  } catch (e) {
    const reason = `WebGL backend not active: ${(e as Error).message}`;
    return { header: `FAIL: ${reason}`, results: files.map((f) => fileErrorResult(f.name, reason)) };
  }
}

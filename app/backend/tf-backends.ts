// TF.js backend registration and initialisation, used wherever the maths runs (the compute worker, or the
// main thread when workers are unavailable). No DOM access here: it must work inside a worker.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../src';
import { errorMessage } from '../messages';
import type { BackendName } from './select';

/** Absolute URLs of the three .wasm binaries (resolved by the page, which knows where Vite put them). */
export type WasmPaths = Record<
  'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm',
  string
>;

let wasmPathsSet = false;

function precisionOf(name: BackendName): string {
  if (name !== 'webgl') return 'float32';
  try {
    return tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 'float32' : 'float16';
  } catch {
    return 'float32';
  }
}

/** What a started backend reports about itself (shown in the stats panel). */
export interface BackendStart {
  /** 'float32', or 'float16' on WebGL without float32 textures. */
  precision: string;
  /** For WASM, the binary TF.js runs: 'threaded SIMD, N threads', 'SIMD' or 'plain'; null otherwise. */
  variant: string | null;
}

/**
 * Which WASM binary TF.js picked: threaded SIMD needs SharedArrayBuffer, i.e. a cross-origin isolated page (the
 * COOP/COEP headers `npm start` sends, or the offline service worker adds); otherwise SIMD single-threaded.
 */
async function wasmVariant(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  if (simd && threads) {
    const n = getThreadsCount();
    return `threaded SIMD, ${n} thread${n === 1 ? '' : 's'}`;
  }
  return simd ? 'SIMD' : 'plain';
}

/**
 * Initialises exactly `name`; throws (never falls back) when TF.js ends up on another backend.
 * Returns the numeric precision the backend computes in and, for WASM, which binary runs.
 */
export async function initTfBackend(name: BackendName, wasmPaths: WasmPaths): Promise<BackendStart> {
  if (!wasmPathsSet) {
    setWasmPaths(wasmPaths);
    // One XNNPACK thread per logical core (used only by the threaded binary, i.e. on an isolated page); left to
    // itself the binary starts a single thread.
    if (typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 1)
      setThreadsCount(navigator.hardwareConcurrency);
    wasmPathsSet = true;
  }
  if (name === 'webgl') {
    // A chosen WebGL must work on software renderers too (CI, headless Chromium): tfjs otherwise asks for
    // failIfMajorPerformanceCaveat and refuses them (spike pitfall 2).
    tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
    // Shape uniforms stay OFF: with them, TF.js keys compiled programs on a summary of the texture layout that
    // misses cases the shader code depends on (tfjs#6478), so a program compiled for one layout is reused for
    // another and computes wrong values. A page that first computed at 128² or 256² showed wrong Boundary-aware,
    // Active Boundary, InverseForm and Combo values for the rest of its life (e2e/webgl-cold-start).
    tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', false);
  }
  let ok = false;
  let cause = '';
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    cause = errorMessage(e);
  }
  const active = tf.getBackend();
  if (!ok || active !== name) {
    throw new Error(
      `the ${name} backend did not start${cause ? ` (${cause})` : ''}; TF.js is on '${active ?? 'none'}'`,
    );
  }
  return { precision: precisionOf(name), variant: name === 'wasm' ? await wasmVariant() : null };
}

/** GPU memory in bytes when the backend reports it (WebGL), else null. */
export function gpuBytes(): number | null {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return typeof m.numBytesInGPU === 'number' ? m.numBytesInGPU : null;
}

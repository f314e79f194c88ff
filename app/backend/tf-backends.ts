// TF.js backend registration and initialisation, used wherever the maths runs (the compute worker, or the
// main thread when workers are unavailable). No DOM access here: it must work inside a worker.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../src';
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

/**
 * Initialises exactly `name`; throws (never falls back) when TF.js ends up on another backend.
 * Returns the numeric precision the backend computes in.
 */
export async function initTfBackend(name: BackendName, wasmPaths: WasmPaths): Promise<{ precision: string }> {
  if (!wasmPathsSet) {
    setWasmPaths(wasmPaths);
    wasmPathsSet = true;
  }
  if (name === 'webgl') {
    // A chosen WebGL must work on software renderers too (CI, headless Chromium): tfjs otherwise asks for
    // failIfMajorPerformanceCaveat and refuses them (spike pitfall 2). Shape uniforms cut recompiles.
    tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
    tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  }
  let ok = false;
  let cause = '';
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    cause = e instanceof Error ? e.message : String(e);
  }
  const active = tf.getBackend();
  if (!ok || active !== name) {
    throw new Error(
      `the ${name} backend did not start${cause ? ` (${cause})` : ''}; TF.js is on '${active ?? 'none'}'`,
    );
  }
  return { precision: precisionOf(name) };
}

/** GPU memory in bytes when the backend reports it (WebGL), else null. */
export function gpuBytes(): number | null {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return typeof m.numBytesInGPU === 'number' ? m.numBytesInGPU : null;
}

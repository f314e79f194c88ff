// Picks and initialises the TF.js backend for the explorer.
// `?backend=webgl|wasm|cpu` forces one. Otherwise: WebGL when the GPU is real; WASM when WebGL is missing or
// its renderer is a software rasteriser (SwiftShader, llvmpipe …: measured 5–17× slower than WASM, spike.md §4);
// CPU as the last resort. tf.setBackend falls back silently, so every choice is verified with tf.getBackend().
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { tf } from '../../src/tf';

export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

export interface BackendInfo {
  name: BackendName;
  /** UNMASKED_RENDERER_WEBGL (or RENDERER) of a probe WebGL context; null when WebGL is unavailable. */
  renderer: string | null;
  /** Why this backend was chosen, in words. */
  reason: string;
  /** 'float32' or 'float16' (WebGL without float32 textures). */
  precision: string;
  /** Backends that were tried first and failed (shown to the user: never a silent switch). */
  failures: string[];
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|microsoft basic render|software rasterizer/i;

export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer !== null && SOFTWARE_RENDERERS.test(renderer);
}

/** Renderer string of a throw-away WebGL2 (or WebGL1) context; null if the browser gives none. */
export function probeRenderer(): string | null {
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return typeof renderer === 'string' ? renderer : null;
  } catch {
    return null;
  }
}

export function parseBackendParam(search: string): BackendName | null | 'invalid' {
  const v = new URLSearchParams(search).get('backend');
  if (v === null || v === '') return null;
  return (BACKENDS as readonly string[]).includes(v) ? (v as BackendName) : 'invalid';
}

function precisionOf(name: BackendName): string {
  if (name !== 'webgl') return 'float32';
  try {
    return tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 'float32' : 'float16';
  } catch {
    return 'float32';
  }
}

/** Initialises exactly `name`; throws (never falls back) when TF.js ends up on another backend. */
export async function initBackend(name: BackendName): Promise<void> {
  if (name === 'webgl') {
    // A forced WebGL must work on software renderers too (CI, headless Chromium): tfjs otherwise asks for
    // failIfMajorPerformanceCaveat and refuses them (spike pitfall 2).
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
      `The ${name} backend did not start${cause ? ` (${cause})` : ''}; TF.js is on '${active ?? 'none'}'. Choose another backend.`,
    );
  }
}

/** Chooses (forced or automatic) and initialises a backend. Forced choices never fall back. */
export async function selectBackend(forced: BackendName | null): Promise<BackendInfo> {
  const renderer = probeRenderer();
  if (forced) {
    await initBackend(forced);
    return {
      name: forced,
      renderer,
      reason: 'forced by ?backend= or the selector',
      precision: precisionOf(forced),
      failures: [],
    };
  }
  const order: { name: BackendName; reason: string }[] = [];
  if (renderer && !isSoftwareRenderer(renderer)) order.push({ name: 'webgl', reason: 'hardware WebGL' });
  order.push({
    name: 'wasm',
    reason: renderer ? 'WebGL is a software renderer; WASM is faster' : 'WebGL unavailable; WASM fallback',
  });
  order.push({ name: 'cpu', reason: 'last resort (WebGL and WASM failed)' });
  const failures: string[] = [];
  for (const candidate of order) {
    try {
      await initBackend(candidate.name);
      return {
        name: candidate.name,
        renderer,
        reason: candidate.reason,
        precision: precisionOf(candidate.name),
        failures,
      };
    } catch (e) {
      failures.push(`${candidate.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`No TF.js backend could start: ${failures.join('; ')}`);
}

/** GPU memory in bytes when the backend reports it (WebGL), else null. */
export function gpuBytes(): number | null {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return typeof m.numBytesInGPU === 'number' ? m.numBytesInGPU : null;
}

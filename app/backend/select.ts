// Picks the TF.js backend for the explorer (main thread: it can probe WebGL through the document).
// `?backend=webgl|wasm|cpu` forces one. Otherwise: WebGL when the GPU is real; WASM when WebGL is missing or
// its renderer is a software rasteriser (SwiftShader, llvmpipe …: measured 5–17× slower than WASM, spike.md §4);
// CPU as the last resort. The actual initialisation happens where the maths runs (the compute worker) and is
// verified there with tf.getBackend(): TF.js falls back silently otherwise.
// No static TF.js imports here: the page bundle must not pull the backends (they live in the worker).
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { errorMessage } from '../messages';
import type { BackendStart, WasmPaths } from './tf-backends';

export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendInfo {
  name: BackendName;
  /** UNMASKED_RENDERER_WEBGL (or RENDERER) of a probe WebGL context; null when WebGL is unavailable. */
  renderer: string | null;
  /** Why this backend was chosen, in words. */
  reason: string;
  /** 'float32' or 'float16' (WebGL without float32 textures). */
  precision: string;
  /** For WASM: 'threaded SIMD, N threads', 'SIMD' or 'plain'; null for the other backends. */
  variant: string | null;
  /** Backends that were tried first and failed (shown to the user: never a silent switch). */
  failures: string[];
  /** Where the maths runs: 'worker' or 'main thread'. */
  thread: string;
}

/** The .wasm files as absolute URLs (a worker resolves relative URLs against its own script). */
export function wasmPaths(): WasmPaths {
  const abs = (u: string) => new URL(u, document.baseURI).href;
  return {
    'tfjs-backend-wasm.wasm': abs(wasmPlain),
    'tfjs-backend-wasm-simd.wasm': abs(wasmSimd),
    'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreaded),
  };
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|microsoft basic render|software rasterizer/i;

export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer !== null && SOFTWARE_RENDERERS.test(renderer);
}

/**
 * Renderer string of a throw-away WebGL2 (or WebGL1) context; null if there is none. Works in a worker
 * (OffscreenCanvas), where it must be asked: a worker may have WebGL when the page has not, or vice versa.
 */
export function probeRenderer(): string | null {
  try {
    const canvas: HTMLCanvasElement | OffscreenCanvas =
      typeof document !== 'undefined' ? document.createElement('canvas') : new OffscreenCanvas(1, 1);
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

/** Initialises `name` where the maths runs; throws when it did not really start. */
export type BackendInit = (name: BackendName) => Promise<BackendStart & { thread: string }>;

/** Chooses (forced or automatic) and initialises a backend. Forced choices never fall back. */
export async function selectBackend(
  forced: BackendName | null,
  init: BackendInit,
  renderer: string | null,
): Promise<BackendInfo> {
  if (forced) {
    const r = await init(forced);
    return { name: forced, renderer, reason: 'forced by ?backend= or the selector', failures: [], ...r };
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
      const r = await init(candidate.name);
      return { name: candidate.name, renderer, reason: candidate.reason, failures, ...r };
    } catch (e) {
      failures.push(`${candidate.name} failed: ${errorMessage(e)}`);
    }
  }
  throw new Error(`No TF.js backend could start: ${failures.join('; ')}`);
}

/**
 * Browser side of the golden runner (e2e/golden.html, built by Vite into dist/e2e/golden.html).
 * It registers the three TF.js backends and exposes `window.seglossGolden` (type GoldenPageApi) for
 * Playwright: switch backend (with a loud failure if TF.js did not really switch), run golden files through
 * src/golden/check.ts, and time losses with src/golden/bench.ts. The Node side is e2e/lib/golden.ts.
 */
import '@tensorflow/tfjs-backend-cpu';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { computeLoss, evaluateLosses, GroundTruthContext, lossAndGrad } from '../src';
import { type BenchOptions, type BenchRow, benchAll, DEFAULT_BENCH } from '../src/golden/bench';
import { type CaseResult, checkFile, fileErrorResult } from '../src/golden/check';
import { checkGoldenText } from '../src/golden/check-any';
import type { GoldenFile } from '../src/golden/format';
import { loadInverseFormNet } from '../src/inverseform/loader';
import { tf } from '../src/tf';
import { exampleReferenceFiles } from './example-reference';

export type PageBackend = 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: string;
  /** UNMASKED_RENDERER_WEBGL of a fresh WebGL2 context ('' when WebGL is unavailable). */
  renderer: string;
  webglVersion: number | null;
}

export interface GoldenInput {
  name: string;
  text: string;
}

export interface GoldenPageApi {
  ready: true;
  /** Selects a backend; throws unless tf.getBackend() is then exactly `name`. */
  setBackend(name: PageBackend): Promise<BackendInfo>;
  /** Parses and checks each file on the current backend; an unparsable file gives one failed pseudo-case. */
  runGolden(files: GoldenInput[]): Promise<CaseResult[]>;
  bench(opts?: Partial<BenchOptions>): Promise<BenchRow[]>;
  /**
   * Issue 14 §1.4 on the current backend: the errors that computeLoss, lossAndGrad and the engine (device
   * flag, no host copy) give for logits [1, 6, 8, 2] holding 3 NaN and 1 +Infinity (first at y=4, x=7, class 1).
   */
  nonFiniteErrors(): { computeLoss: string; lossAndGrad: string; engine: string; leaked: number };
  /** Loads InverseForm's frozen network (default: the copy shipped in public/models/inverseform). */
  loadInverseFormNet(url?: string): Promise<void>;
  numTensors(): number;
  /**
   * Computes, on the current backend, the golden files of the explorer's example at `size` (e2e/example-reference.ts)
   * and keeps them in the page; returns how many. checkExampleReference() then checks them on another backend.
   */
  makeExampleReference(size: number): number;
  checkExampleReference(): Promise<CaseResult[]>;
}

declare global {
  interface Window {
    seglossGolden?: GoldenPageApi;
    seglossGoldenError?: string;
  }
}

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

function describeGl(gl: WebGLRenderingContext | WebGL2RenderingContext): { renderer: string; webglVersion: number } {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const version = typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext ? 2 : 1;
  return { renderer, webglVersion: version };
}

/** The renderer of TF.js's own WebGL context when webgl is active, else of a throwaway canvas. */
function rendererString(): { renderer: string; webglVersion: number | null } {
  if (tf.getBackend() === 'webgl') {
    const gl = (tf.backend() as unknown as MathBackendWebGL).gpgpu?.gl;
    if (gl) return describeGl(gl);
  }
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (!gl) return { renderer: '', webglVersion: null };
  const info = describeGl(gl);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return info;
}

/**
 * Shapes as uniforms (one compiled WebGL program for every input shape) are OFF, as in the explorer: TF.js's
 * program cache key then misses layout cases the shader depends on (tfjs#6478) and wrong programs get reused
 * (see app/backend/tf-backends.ts). `?shapesUniforms=1` turns them on, to reproduce that bug.
 */
const SHAPES_UNIFORMS = new URLSearchParams(location.search).get('shapesUniforms') === '1';

async function setBackend(name: PageBackend): Promise<BackendInfo> {
  // Software renderers (SwiftShader on CI) are refused by TF.js unless this flag is set (spike pitfall 2).
  if (name === 'webgl') tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  if (name === 'webgl') tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', SHAPES_UNIFORMS);
  let ok = false;
  let why = '';
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    why = ` (${(e as Error).message})`;
  }
  const info = { backend: tf.getBackend(), ...rendererString() };
  if (!ok || info.backend !== name) {
    throw new Error(
      `TF.js did not switch to '${name}': active backend is '${info.backend}'${why}; WebGL renderer: '${info.renderer || 'none'}'`,
    );
  }
  return info;
}

/** Checks each item on the current backend; one that throws gives one failed pseudo-case named `name(item)`. */
async function checkEach<T>(
  items: T[],
  name: (item: T) => string,
  check: (item: T, backend: string) => CaseResult[],
): Promise<CaseResult[]> {
  const backend = tf.getBackend();
  const results: CaseResult[] = [];
  for (const item of items) {
    try {
      results.push(...check(item, backend));
    } catch (e) {
      results.push(fileErrorResult(name(item), (e as Error).message));
    }
    // Let the page breathe between files (keeps Playwright's protocol responsive on slow software WebGL).
    await new Promise((r) => setTimeout(r, 0));
  }
  return results;
}

function runGolden(files: GoldenInput[]): Promise<CaseResult[]> {
  return checkEach(
    files,
    (f) => f.name,
    (f, backend) => checkGoldenText(f.text, f.name, backend),
  );
}

function nonFiniteErrors(): { computeLoss: string; lossAndGrad: string; engine: string; leaked: number } {
  const [h, w, c] = [6, 8, 2];
  const data = new Float32Array(h * w * c).map((_, i) => Math.sin(i));
  const at = (y: number, x: number, k: number) => (y * w + x) * c + k;
  data[at(4, 7, 1)] = Number.NaN;
  data[at(5, 0, 0)] = Number.NaN;
  data[at(5, 1, 1)] = Number.NaN;
  data[at(5, 3, 0)] = Number.POSITIVE_INFINITY;
  const labels = new Int32Array(h * w).map((_, i) => i % 2);
  const before = tf.memory().numTensors;
  const x = tf.tensor4d(data, [1, h, w, c]);
  const t = tf.tensor3d(labels, [1, h, w], 'int32');
  const ctx = GroundTruthContext.fromLabels(labels, [1, h, w], c);
  const caught = (f: () => unknown) => {
    try {
      f();
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const out = {
    computeLoss: caught(() => computeLoss('unified-focal', x, t)),
    lossAndGrad: caught(() => lossAndGrad('dice', x, t)),
    engine: evaluateLosses(x, t, [{ id: 'cross-entropy' }, { id: 'dice' }], ctx).inputError ?? '',
    leaked: 0,
  };
  tf.dispose([x, t]);
  ctx.dispose();
  out.leaked = tf.memory().numTensors - before;
  return out;
}

let exampleReference: GoldenFile[] = [];

function checkExampleReference(): Promise<CaseResult[]> {
  return checkEach(exampleReference, (f) => f.loss, checkFile);
}

const shippedInverseForm = () => new URL('../models/inverseform/model.json', location.href).href;

const status = document.getElementById('status');
try {
  window.seglossGolden = {
    ready: true,
    setBackend,
    runGolden,
    async bench(opts) {
      // InverseForm needs its pretrained network (public/ → dist/models/); without it its rows say so.
      await loadInverseFormNet(shippedInverseForm()).catch((e: Error) =>
        console.warn(`InverseForm network not loaded: ${e.message}`),
      );
      return benchAll({ ...DEFAULT_BENCH, ...opts });
    },
    async loadInverseFormNet(url) {
      await loadInverseFormNet(url ?? shippedInverseForm());
    },
    numTensors: () => tf.memory().numTensors,
    nonFiniteErrors,
    makeExampleReference(size) {
      exampleReference = exampleReferenceFiles(size);
      return exampleReference.length;
    },
    checkExampleReference,
  };
  if (status) status.textContent = 'ready';
} catch (e) {
  window.seglossGoldenError = (e as Error).message;
  if (status) status.textContent = `failed: ${(e as Error).message}`;
}

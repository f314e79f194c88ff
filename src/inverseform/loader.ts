/**
 * Holds the InverseForm network weights for synchronous use inside the loss's compute().
 *
 * Why a loader and not embedded weights: the weights (~360 kB float32) would otherwise sit in the main
 * bundle of every page that imports the registry, although only one of 25 losses needs them. The explorer
 * fetches them once (`await loadInverseFormNet()` → public/models/inverseform/model.json); Node tests and
 * scripts use `loadInverseFormNetFromFile` (src/inverseform/load-node.ts) or pass bytes to
 * `setInverseFormNet`. Until then compute() throws `InverseFormNotLoadedError` with instructions.
 *
 * Weights are kept as Float32Arrays and turned into tensors lazily, once per backend (tests switch between
 * cpu and wasm; the explorer between webgl and cpu), and kept for the life of the page.
 */
import { tf } from '../tf';
import { deserializeWeights, type IFWeights, type WeightsManifestGroup, withDerivedKernels } from './network';

export const DEFAULT_MODEL_PATH = 'models/inverseform/model.json';

export interface ModelJson {
  format?: string;
  weightsManifest: WeightsManifestGroup[];
}

interface Loaded {
  manifest: WeightsManifestGroup[];
  data: Uint8Array;
  /** Increases with every load: memo keys of constants computed with the network include it. */
  version: number;
  perBackend: Map<string, IFWeights>;
}

let current: Loaded | null = null;
let version = 0;

export class InverseFormNotLoadedError extends Error {
  constructor() {
    super(
      "InverseForm needs its pretrained network: call `await loadInverseFormNet()` (browser: fetches public/models/inverseform/model.json) or `await loadInverseFormNetFromFile('public/models/inverseform/model.json')` (Node) before computing the loss",
    );
    this.name = 'InverseFormNotLoadedError';
  }
}

/** Installs weights from a weights manifest and the concatenated shard bytes (synchronous). */
export function setInverseFormNet(manifest: WeightsManifestGroup[], data: ArrayBuffer | Uint8Array): void {
  const bytes = data instanceof Uint8Array ? data.slice() : new Uint8Array(data.slice(0));
  // validate now (throws on a bad manifest) and free the probe tensors
  const probe = deserializeWeights(manifest, bytes);
  for (const t of Object.values(probe)) t.dispose();
  unloadInverseFormNet();
  current = { manifest, data: bytes, version: ++version, perBackend: new Map() };
}

/**
 * Fetches model.json and its shards (browser or any runtime with fetch). `url` defaults to
 * `${import.meta.env.BASE_URL ?? '/'}models/inverseform/model.json`.
 */
export async function loadInverseFormNet(url?: string): Promise<void> {
  const base = (import.meta as unknown as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const modelUrl = url ?? `${base}${DEFAULT_MODEL_PATH}`;
  const res = await fetch(modelUrl);
  if (!res.ok) throw new Error(`InverseForm: could not fetch ${modelUrl} (${res.status})`);
  const model = (await res.json()) as ModelJson;
  const dir = modelUrl.slice(0, modelUrl.lastIndexOf('/') + 1);
  const parts: Uint8Array[] = [];
  for (const g of model.weightsManifest) {
    for (const p of g.paths) {
      const r = await fetch(dir + p);
      if (!r.ok) throw new Error(`InverseForm: could not fetch ${dir + p} (${r.status})`);
      parts.push(new Uint8Array(await r.arrayBuffer()));
    }
  }
  setInverseFormNet(model.weightsManifest, concatBytes(parts));
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

export function isInverseFormNetLoaded(): boolean {
  return current !== null;
}

/** Version of the loaded weights (0 when none). */
export function inverseFormNetVersion(): number {
  return current?.version ?? 0;
}

/**
 * Weight tensors on the active backend (created once per backend and kept), with the kernels the frozen
 * network derives from them (network.ts withDerivedKernels). Throws when not loaded.
 */
export function inverseFormWeights(): IFWeights {
  if (!current) throw new InverseFormNotLoadedError();
  const backend = tf.getBackend();
  let w = current.perBackend.get(backend);
  if (!w) {
    const made = withDerivedKernels(deserializeWeights(current.manifest, current.data));
    for (const t of Object.values(made)) tf.keep(t);
    current.perBackend.set(backend, made);
    w = made;
  }
  return w;
}

/** Drops the weights (and their tensors). */
export function unloadInverseFormNet(): void {
  if (!current) return;
  for (const w of current.perBackend.values())
    for (const t of Object.values(w)) {
      try {
        if (!t.isDisposed) t.dispose();
      } catch {
        // Its backend was removed (the app re-creates a backend after a WASM abort): the memory went with it.
      }
    }
  current = null;
}

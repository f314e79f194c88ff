// Results slice: what the compute bridge produced for the current masks (values, gradients, timings).
import type { StateCreator } from 'zustand';
import type { LossId } from '../../src';
import type { AppState } from './index';

/** The masks a result was computed from: what the heatmaps need to draw it. */
export interface ResultState {
  width: number;
  height: number;
  numClasses: number;
  /** softmax(logits) of that state, H×W×C (shared by every result of the state). */
  probabilities: Float32Array;
  /** Ground truth of that state (hover read-out). */
  target: Int32Array;
}

export interface LossResultView {
  value: number | null;
  /**
   * Value before the edit this result's state belongs to (a whole stroke, an upload, a derivation …), for
   * "Δ since edit"; null when that value was never computed.
   */
  previous: number | null;
  /** Version of the state this result belongs to (see `stateVersion`). */
  version: number;
  state: ResultState;
  error: string | null;
  nonFinite: boolean;
  /** d loss / d logits, H×W×C, or null. */
  grad: Float32Array | null;
  /** Forward + backward time of this loss in the last update (ms; enqueue time only on WebGL). */
  ms: number;
}

/** The result fields (what the compute bridge writes). */
export type ResultsValues = Omit<ResultsSlice, 'setStateVersion' | 'setPreparing' | 'updateResults'>;

export interface ResultsSlice {
  results: Partial<Record<LossId, LossResultView>>;
  /**
   * Version of the inputs now in the store (masks, parameters, enabled losses), bumped by the compute bridge
   * on every change. A result whose `version` differs belongs to an older state and is shown as stale.
   */
  stateVersion: number;
  /** Said instead of the values while the engine prepares (e.g. "preparing WebGL…"), else null. */
  preparing: string | null;
  /** softmax(logits), H×W×C, of the masks the results belong to. */
  probabilities: Float32Array | null;
  /** Shape the results belong to. */
  resultShape: { width: number; height: number; numClasses: number } | null;
  /** Wall time of the last update as the page saw it (request → results), ms. */
  lastUpdateMs: number | null;
  /** Part of it spent in the engine (tensor work + read-back), ms. */
  engineMs: number | null;
  /** States whose results started to land (each counted once, when its first batch arrives). */
  updates: number;
  numTensors: number;
  gpuBytes: number | null;
  computeError: string | null;
  /** The inputs the results were computed from (so a panel can tell fresh results from stale ones). */
  resultInputs: {
    target: Int32Array;
    logits: Float32Array;
    params: AppState['params'];
    enabled: AppState['enabled'];
  } | null;
  /** The version of the inputs now in the store (the bridge numbers every change). */
  setStateVersion(version: number): void;
  setPreparing(text: string | null): void;
  /**
   * The compute bridge's write path for what it derives from the current results: landed values, restamped
   * versions, counters and timings (the recipe sees the whole state, returns only result fields).
   */
  updateResults(recipe: (cur: AppState) => Partial<ResultsValues>): void;
}

export const createResultsSlice: StateCreator<AppState, [], [], ResultsSlice> = (set) => ({
  results: {},
  stateVersion: 0,
  preparing: null,
  probabilities: null,
  resultShape: null,
  lastUpdateMs: null,
  engineMs: null,
  updates: 0,
  numTensors: 0,
  gpuBytes: null,
  computeError: null,
  resultInputs: null,
  setStateVersion: (stateVersion) => set({ stateVersion }),
  setPreparing: (preparing) => set({ preparing }),
  updateResults: (recipe) => set(recipe),
});

// Results slice: what the compute bridge produced for the current masks (values, gradients, timings).
import type { StateCreator } from 'zustand';
import type { LossId } from '../../src';
import type { AppState } from './index';

export interface LossResultView {
  value: number | null;
  /** Value at the previous update (for "change since last edit"), null if none. */
  previous: number | null;
  error: string | null;
  nonFinite: boolean;
  /** d loss / d logits, H×W×C, or null. */
  grad: Float32Array | null;
  /** Forward + backward time of this loss in the last update (ms; enqueue time only on WebGL). */
  ms: number;
}

export interface ResultsSlice {
  results: Partial<Record<LossId, LossResultView>>;
  /** softmax(logits), H×W×C, of the masks the results belong to. */
  probabilities: Float32Array | null;
  /** Shape the results belong to. */
  resultShape: { width: number; height: number; numClasses: number } | null;
  /** Wall time of the last update as the page saw it (request → results), ms. */
  lastUpdateMs: number | null;
  /** Part of it spent in the engine (tensor work + read-back), ms. */
  engineMs: number | null;
  updates: number;
  numTensors: number;
  gpuBytes: number | null;
  computeError: string | null;
}

export const createResultsSlice: StateCreator<AppState, [], [], ResultsSlice> = () => ({
  results: {},
  probabilities: null,
  resultShape: null,
  lastUpdateMs: null,
  engineMs: null,
  updates: 0,
  numTensors: 0,
  gpuBytes: null,
  computeError: null,
});

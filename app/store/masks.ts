// CONTRACT STUB (owned by the editors work): the masks slice of the zustand store.
// The shape below is what the rest of the app reads; the editors helper fills in history and actions.
export interface MasksState {
  width: number;
  height: number;
  numClasses: number;
  /** Ground-truth class index per pixel, row-major H×W. Replaced (never mutated) on every edit. */
  target: Int32Array;
  /** Prediction as logits, row-major H×W×C (channels last). Replaced (never mutated) on every edit. */
  logits: Float32Array;
  /** Bumped whenever `target` changes (keys the ground-truth cache). */
  targetVersion: number;
  /** Bumped whenever `logits` changes. */
  predictionVersion: number;
}

// When the explorer notes that the Hausdorff loss scores an empty prediction (components/lessons/HdEmptyNote.tsx):
// with the reference (MONAI) convention the distance map of an empty mask is 0, so HD loss can score "predict
// nothing" better than a perfect prediction.
import type { LossResultView } from '../store/results';

/** True when no pixel's most probable class is a foreground class (≥ 1) while the ground truth has foreground. */
export function emptyPrediction(probabilities: Float32Array | null, target: Int32Array, C: number): boolean {
  if (!probabilities || probabilities.length !== target.length * C) return false;
  if (!target.some((t) => t > 0)) return false;
  for (let i = 0; i < target.length; i++) {
    const row = i * C;
    let best = 0;
    for (let c = 1; c < C; c++) if (probabilities[row + c]! > probabilities[row + best]!) best = c;
    if (best > 0) return false;
  }
  return true;
}

/**
 * The Hausdorff value to quote when it was computed for an empty prediction, else null. The prediction is the one
 * the value was computed for (the result's own state), not the store's newest: while an update runs, the masks
 * on screen may already be the next state's, and quoting the previous state's value for them would be wrong.
 */
export function hdOfEmptyPrediction(r: Pick<LossResultView, 'value' | 'state'> | undefined): number | null {
  if (!r || r.value === null) return null;
  const { probabilities, target, numClasses } = r.state;
  return emptyPrediction(probabilities, target, numClasses) ? r.value : null;
}

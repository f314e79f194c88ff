import { describe, expect, it } from 'vitest';
import { emptyPrediction, hdOfEmptyPrediction } from './hd-empty';

const target = Int32Array.from([0, 1, 1, 0]);
/** softmax-like rows for C = 2: [p(background), p(foreground)] per pixel. */
const probs = (fg: number[]) => Float32Array.from(fg.flatMap((p) => [1 - p, p]));
const state = (p: Float32Array) => ({ width: 2, height: 2, numClasses: 2, probabilities: p, target });

describe('the Hausdorff note on empty predictions', () => {
  it('a prediction is empty when no pixel favours a foreground class and the ground truth has some', () => {
    expect(emptyPrediction(probs([0.1, 0.2, 0.3, 0.1]), target, 2)).toBe(true);
    expect(emptyPrediction(probs([0.1, 0.7, 0.3, 0.1]), target, 2)).toBe(false);
    expect(emptyPrediction(probs([0.1, 0.2, 0.3, 0.1]), new Int32Array(4), 2)).toBe(false); // no foreground to miss
    expect(emptyPrediction(null, target, 2)).toBe(false);
  });

  it('quotes the value only with the prediction it was computed for', () => {
    const empty = probs([0.1, 0.2, 0.3, 0.1]);
    const full = probs([0.1, 0.9, 0.9, 0.1]);
    expect(hdOfEmptyPrediction({ value: 0.5, state: state(empty) })).toBe(0.5);
    // the previous state's value (a full prediction) while the masks on screen are already empty: no note yet
    expect(hdOfEmptyPrediction({ value: 3.2, state: state(full) })).toBeNull();
    expect(hdOfEmptyPrediction({ value: null, state: state(empty) })).toBeNull();
    expect(hdOfEmptyPrediction(undefined)).toBeNull();
  });
});

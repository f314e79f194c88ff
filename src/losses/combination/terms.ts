/**
 * Building blocks shared by the combination losses (Combo, Exp-Log, Unified Focal), taken from the component
 * losses' own code rather than re-typed: the Tversky sums TP, FP, FN come from region/tversky.ts
 * (tverskyClassSums, with 1 − p from ops/complement.ts, cancellation-free in float32).
 */
import { classRange, selectClasses } from '../../ops/probabilities';
import type { TailMath } from '../../ops/tail-math';
import { tverskyTerms } from '../region/tversky';

/**
 * −ln Dice_{n,c} per image and class [N, C] (all classes), with Dice = (2 TP + s) / (2 TP + FP + FN + s)
 * = (2 Σ p y + s) / (Σ y + Σ p + s), from the Tversky family's sums (region/tversky.ts tverskyClassSums with
 * 'image', closed-form gradient, FN with the cancellation-free 1 − p), as a small tail (ops/tail-math.ts).
 * Evaluated as −log1p(−(FP + FN) / (2 TP + FP + FN + s)): no "1 − ratio" cancellation, so −ln Dice ≈ 1e-4 near
 * a perfect prediction keeps full float32 relative precision.
 */
export function negLogDice<V>(m: TailMath<V>, sums: V, smooth: number, numClasses: number): V {
  const { tp, fp, fn } = tverskyTerms(m, sums, classRange(numClasses, true), 'image');
  const miss = m.add(fp, fn);
  const den = m.add(m.add(m.mul(2, tp), miss), smooth);
  return m.neg(m.log1p(m.neg(m.div(miss, den))));
}

export { classRange, selectClasses };

// A visible note when the Hausdorff loss runs on an empty prediction: with the reference (MONAI) convention the
// distance map of an empty mask is 0, so HD loss can score "predict nothing" better than a perfect prediction.
// When a lesson step recorded HD for the perfect prediction of the same masks, the note gives both numbers.
import { useMemo } from 'react';
import { formatNumber } from '../../format-number';
import { useLessons } from '../../lessons/state';
import { useStore } from '../../store';

/** True when no pixel's most probable class is a foreground class (≥ 1) while the ground truth has foreground. */
function emptyPrediction(probabilities: Float32Array | null, target: Int32Array, C: number): boolean {
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

export function HdEmptyNote() {
  const hd = useStore((s) => s.results['hausdorff-distance']?.value ?? null);
  const probabilities = useStore((s) => s.probabilities);
  const target = useStore((s) => s.target);
  const C = useStore((s) => s.numClasses);
  const lesson = useLessons((s) => s.lesson);
  const step = useLessons((s) => s.step);
  const recorded = useLessons((s) => s.recorded);
  const empty = useMemo(() => emptyPrediction(probabilities, target, C), [probabilities, target, C]);
  if (hd === null || !empty) return null;
  // The perfect prediction of the same preset, recorded at an earlier step of the open lesson.
  const preset = lesson?.steps[step]?.state?.preset;
  const perfectStep = lesson?.steps.findIndex(
    (s, i) => i !== step && s.state?.prediction === 'perfect' && s.state.preset === preset && recorded[i],
  );
  const perfect =
    perfectStep !== undefined && perfectStep >= 0 ? recorded[perfectStep]?.values['hausdorff-distance'] : undefined;
  return (
    <p className="hd-note" role="note" data-testid="hd-empty-note">
      <strong>Hausdorff loss and empty predictions.</strong>{' '}
      {typeof perfect === 'number' && perfect > hd ? (
        <>
          Here the Hausdorff loss scores this <em>empty</em> prediction ({formatNumber(hd, 4)}) <em>lower</em> than the
          perfect one ({formatNumber(perfect, 4)}, step {(perfectStep ?? 0) + 1}).{' '}
        </>
      ) : (
        <>The prediction is empty. </>
      )}
      As in the reference code (MONAI HausdorffDTLoss), the distance map of a mask without foreground is 0, so the
      prediction's term drops out and an empty prediction can look better than a perfect one. Combine HD loss with Dice
      or cross-entropy.
    </p>
  );
}

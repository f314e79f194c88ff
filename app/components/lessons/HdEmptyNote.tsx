// A visible note when the Hausdorff loss runs on an empty prediction: with the reference (MONAI) convention the
// distance map of an empty mask is 0, so HD loss can score "predict nothing" better than a perfect prediction.
// When a lesson step recorded HD for the perfect prediction of the same masks, the note gives both numbers.
import { useMemo } from 'react';
import { formatNumber } from '../../format-number';
import { hdOfEmptyPrediction } from '../../lessons/hd-empty';
import { useLessons } from '../../lessons/state';
import { useStore } from '../../store';

export function HdEmptyNote() {
  const r = useStore((s) => s.results['hausdorff-distance']);
  const lesson = useLessons((s) => s.lesson);
  const step = useLessons((s) => s.step);
  const recorded = useLessons((s) => s.recorded);
  // the value with the prediction it was computed for (see hdOfEmptyPrediction)
  const hd = useMemo(() => hdOfEmptyPrediction(r), [r]);
  if (hd === null) return null;
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

// One racer: its prediction at the shown step (probabilities mixed in the class colours, the same scale for every
// racer), its loss value and Dice score, and "adopt this prediction".
import { useEffect, useRef } from 'react';
import { getLoss, type RacerTrajectory, type RaceTrajectory, snapshotIndexAt } from '../../../src';
import { classColor } from '../../editing/palette';
import { formatNumber } from '../../format-number';
import { paintDiverging } from '../../render/heatmap';

function paint(canvas: HTMLCanvasElement, q: Uint8Array, w: number, h: number, c: number) {
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d');
  if (!g) return;
  const img = g.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    let r = 0;
    let gr = 0;
    let b = 0;
    for (let k = 0; k < c; k++) {
      const p = q[i * c + k]! / 255;
      const [cr, cg, cb] = classColor(k);
      r += p * cr;
      gr += p * cg;
      b += p * cb;
    }
    img.data[4 * i] = r;
    img.data[4 * i + 1] = gr;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = 255;
  }
  g.putImageData(img, 0, 0);
}

export function RacerView({
  tr,
  racer,
  step,
  colour,
  onAdopt,
  change,
}: {
  tr: RaceTrajectory;
  racer: RacerTrajectory;
  step: number;
  colour: string;
  onAdopt: () => void;
  /** Draw the change of the true class's probability since step 0 (diverging, ±limit) instead of the prediction. */
  change?: { values: Float32Array; limit: number } | null;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const si = snapshotIndexAt(tr, step);
  const snap = racer.snapshots[si];
  const shownFrom = tr.snapshotSteps[si] ?? 0;
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    if (change) {
      c.width = tr.width;
      c.height = tr.height;
      const g = c.getContext('2d');
      if (!g) return;
      const img = g.createImageData(tr.width, tr.height);
      paintDiverging(change.values, change.limit, img.data);
      g.putImageData(img, 0, 0);
    } else if (snap) paint(c, snap, tr.width, tr.height, tr.numClasses);
  }, [snap, tr, change]);
  const loss = racer.loss[step] ?? Number.NaN;
  const dice = racer.dice[step] ?? Number.NaN;
  return (
    <figure
      className="racer"
      data-testid="racer"
      data-loss-id={racer.id}
      data-step={step}
      data-loss-value={loss}
      data-dice={dice}
      data-scale-max={change ? change.limit : undefined}
    >
      <figcaption style={{ borderLeft: `4px solid ${colour}`, paddingLeft: 4 }}>{getLoss(racer.id).name}</figcaption>
      <canvas ref={ref} className="racer-canvas" style={{ width: 128, height: 128, imageRendering: 'pixelated' }} />
      {racer.error ? (
        <p className="error">Stopped: {racer.error}</p>
      ) : (
        <p className="note">
          L = {formatNumber(loss, 4)} · Dice{' '}
          {Number.isNaN(dice) ? 'undefined (no foreground in the GT)' : dice.toFixed(3)}
          {shownFrom !== step && ` · prediction of step ${shownFrom} (every ${tr.snapshotEvery}th step kept)`}
        </p>
      )}
      <button type="button" onClick={onAdopt} disabled={!snap} data-testid="race-adopt">
        Adopt this prediction
      </button>
    </figure>
  );
}

// Prediction editor: a soft brush raising or lowering one class's probability (smooth falloff), and one-click
// derivations from the ground truth. The canvas shows the probability map (class colours mixed by probability).
import { memo, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Point } from '../../editing/labels';
import { PALETTE } from '../../editing/palette';
import { pressureStrength } from '../../editing/pen';
import { probabilitiesFromLogits, softBrushStroke } from '../../editing/prediction';
import type { Derivation, DeriveSettings, PredBrushSettings } from '../../store/masks';
import { PRED_RADIUS_MAX, PRED_RADIUS_MIN } from '../../store/tools';
import { ClassSelect } from './ClassSelect';
import { type CanvasHandlers, MaskCanvas } from './MaskCanvas';
import { logitsToImageData } from './paint';
import { useEditorStore } from './useEditorStore';

function NumberField(props: {
  label: string;
  k: keyof DeriveSettings;
  min: number;
  max: number;
  step: number;
  value: number;
}) {
  const setDerive = useEditorStore.getState().setDerive;
  return (
    <label className="num">
      {props.label}{' '}
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        data-testid={`derive-${props.k}`}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v)) setDerive({ [props.k]: Math.max(props.min, Math.min(props.max, v)) });
        }}
      />
    </label>
  );
}

export function PredEditor({ onDropFile }: { onDropFile(f: File): void }) {
  const s = useEditorStore(
    useShallow((st) => ({
      width: st.width,
      height: st.height,
      numClasses: st.numClasses,
      logits: st.logits,
      predictionVersion: st.predictionVersion,
      brush: st.predBrush,
      derive: st.derive,
      underlay: st.underlay,
      underlayOpacity: st.underlayOpacity,
      classNames: st.classNames,
    })),
  );
  const image = useMemo(
    () =>
      logitsToImageData(s.logits, s.width, s.height, s.numClasses, {
        transparentBackground: !!s.underlay,
        alpha: s.underlay ? 0.75 : 1,
      }),
    [s.logits, s.width, s.height, s.numClasses, s.underlay],
  );
  const last = useRef<Point | null>(null);
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const inside = at && at.x >= 0 && at.y >= 0 && at.x < s.width && at.y < s.height;
  const probs = useMemo(() => {
    if (!inside) return null;
    const C = s.numClasses;
    const i = (at.y * s.width + at.x) * C;
    return Array.from(probabilitiesFromLogits(s.logits.subarray(i, i + C), C));
  }, [inside, at, s.logits, s.numClasses, s.width]);

  const stroke = (points: Point[], pressure?: number) => {
    const st = useEditorStore.getState();
    const b = st.predBrush;
    const brush = { ...b, strength: pressureStrength(b.strength, pressure, st.penPressure) };
    st.setLogits(softBrushStroke(st.logits, { width: st.width, height: st.height }, st.numClasses, points, brush));
  };
  const handlers: CanvasHandlers = {
    down(p, pressure) {
      useEditorStore.getState().beginGesture();
      stroke([p], pressure);
      last.current = p;
    },
    move(points, pressure) {
      if (!last.current) return;
      stroke([last.current, ...points], pressure);
      last.current = points[points.length - 1] ?? last.current;
    },
    up() {
      if (!last.current) return;
      last.current = null;
      useEditorStore.getState().endGesture();
    },
    key(p) {
      stroke([p]);
    },
  };

  return (
    <section className="editor" aria-labelledby="pred-editor-title">
      <h2 id="pred-editor-title">Prediction</h2>
      <PredBrushTools brush={s.brush} numClasses={s.numClasses} classNames={s.classNames} />
      <MaskCanvas
        width={s.width}
        height={s.height}
        image={image}
        underlayUrl={s.underlay?.url ?? null}
        underlayOpacity={s.underlayOpacity}
        label={`Prediction editor (probability map), ${s.width}×${s.height}: soft brush ${s.brush.mode}s class ${s.brush.cls}. Arrow keys move the cursor, Enter or Space applies the brush.`}
        testId="pred-canvas"
        cursorRadius={s.brush.radius}
        anchor={null}
        handlers={handlers}
        onDropFile={onDropFile}
        onHover={setAt}
        dataAttrs={{ 'prediction-version': s.predictionVersion }}
      />
      <p className="edit-readout" aria-live="off" data-testid="pred-readout">
        {inside && probs ? (
          <>
            <span>
              ({at.x}, {at.y})
            </span>
            {probs.map((p, c) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: classes are indices
              <span key={c} className="prob">
                <span className="swatch" style={{ background: PALETTE[c]?.hex }} aria-hidden="true" /> p<sub>{c}</sub> ={' '}
                {p.toFixed(3)}
              </span>
            ))}
          </>
        ) : (
          <span>Point at a pixel to read its probabilities.</span>
        )}
      </p>
      <DerivePanel d={s.derive} />
    </section>
  );
}

/**
 * The derivations, memoised apart from the editor: every edit of the prediction re-renders the editor, and React
 * re-applies an input's name and type on each render (attribute changes Blink restyles for).
 */
const DerivePanel = memo(function DerivePanel({ d }: { d: DeriveSettings }) {
  const { derivePrediction } = useEditorStore.getState();
  const derive = (k: Derivation, label: string, title: string) => (
    <button type="button" onClick={() => derivePrediction(k)} data-testid={`derive-${k}`} title={title}>
      {label}
    </button>
  );
  return (
    <details className="derive" open>
      <summary>Derive from the ground truth</summary>
      <div className="derive-grid">
        <NumberField label="confidence" k="confidence" min={0.5} max={0.9999} step={0.01} value={d.confidence} />
        <div className="row">
          {derive('perfect', 'Perfect', 'Confident prediction of the ground truth')}
          {derive('empty', 'Empty', 'Everything confidently background')}
        </div>
        <div className="row">
          <NumberField label="dx" k="dx" min={-128} max={128} step={1} value={d.dx} />
          <NumberField label="dy" k="dy" min={-128} max={128} step={1} value={d.dy} />
          {derive('shift', 'Shift', 'Ground truth translated by (dx, dy)')}
        </div>
        <div className="row">
          <NumberField label="σ" k="sigma" min={0.1} max={20} step={0.1} value={d.sigma} />
          {derive('blur', 'Blur', 'Ground truth blurred with a Gaussian of σ pixels')}
        </div>
        <div className="row">
          <NumberField label="r" k="morphRadius" min={1} max={20} step={1} value={d.morphRadius} />
          {derive('erode', 'Erode', 'Ground truth eroded by a disc of radius r')}
          {derive('dilate', 'Dilate', 'Ground truth dilated by a disc of radius r')}
        </div>
      </div>
      <p className="sub">Apply to the current prediction</p>
      <div className="derive-grid">
        <div className="row">
          <NumberField label="T" k="temperature" min={0.05} max={20} step={0.05} value={d.temperature} />
          {derive('temperature', 'Temperature', 'Divide the logits by T (T > 1 softer, T < 1 more confident)')}
        </div>
        <div className="row">
          <NumberField label="noise σ" k="noiseSigma" min={0} max={10} step={0.1} value={d.noiseSigma} />
          <NumberField label="seed" k="noiseSeed" min={0} max={1e9} step={1} value={d.noiseSeed} />
          {derive('noise', 'Add noise', 'Add Gaussian noise of σ to every logit (seeded)')}
        </div>
      </div>
    </details>
  );
});

/** The brush's mode, class, radius and strength, memoised apart from the editor (see DerivePanel). */
const PredBrushTools = memo(function PredBrushTools({
  brush,
  numClasses,
  classNames,
}: {
  brush: PredBrushSettings;
  numClasses: number;
  classNames: string[] | null;
}) {
  const { setPredBrush } = useEditorStore.getState();
  return (
    <>
      <div className="editor-tools" role="toolbar" aria-label="Prediction brush">
        <fieldset className="seg">
          <legend className="sr-only">Brush mode</legend>
          {(['raise', 'lower'] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={brush.mode === m}
              onClick={() => setPredBrush({ mode: m })}
              data-testid={`pred-${m}`}
              title={m === 'raise' ? 'Raise the class probability' : 'Lower the class probability'}
            >
              {m === 'raise' ? 'Raise' : 'Lower'}
            </button>
          ))}
        </fieldset>
        <ClassSelect
          label="Class"
          value={brush.cls}
          numClasses={numClasses}
          names={classNames}
          onChange={(c) => setPredBrush({ cls: c })}
          testId="pred-class"
        />
      </div>
      <div className="editor-tools">
        <label>
          Radius{' '}
          <input
            type="range"
            min={PRED_RADIUS_MIN}
            max={PRED_RADIUS_MAX}
            value={brush.radius}
            onChange={(e) => setPredBrush({ radius: Number(e.target.value) })}
            data-testid="pred-radius"
          />{' '}
          <output>{brush.radius} px</output>
        </label>
        <label>
          Strength{' '}
          <input
            type="range"
            min={0.05}
            max={1}
            step={0.05}
            value={brush.strength}
            onChange={(e) => setPredBrush({ strength: Number(e.target.value) })}
            data-testid="pred-strength"
          />{' '}
          <output>{Math.round(brush.strength * 100)}%</output>
        </label>
      </div>
    </>
  );
});

import { getLoss, type LossId } from '../../src';
import { formatNumber } from '../format-number';
import { useStore } from '../store';
import { GradientCanvas, useGradientMap, useStale } from './GradientCanvas';

function Multiple({ id }: { id: LossId }) {
  const map = useGradientMap(id, 160);
  const def = getLoss(id);
  const focus = useStore((s) => s.setFocusedLoss);
  const error = useStore((s) => s.results[id]?.error);
  const stale = useStale(id);
  return (
    <figure className="multiple">
      {map ? (
        <GradientCanvas
          map={map}
          className="heatmap-small"
          label={`gradient of ${def.name}`}
          lossId={id}
          testId="multiple-heatmap"
          stale={stale}
        />
      ) : (
        <div className="heatmap-small placeholder">{error ?? (def.status === 'coming' ? 'coming' : 'off')}</div>
      )}
      <figcaption>
        <button type="button" className="link" onClick={() => focus(id)}>
          {def.name}
        </button>
        <span className="scale">
          ±{formatNumber(map?.max ?? null, 2)}
          {stale && map ? ' · updating…' : ''}
        </span>
      </figcaption>
    </figure>
  );
}

/** Gradient maps of the chosen losses side by side (each on its own symmetric scale, printed below it). */
export function SmallMultiples() {
  const ids = useStore((s) => s.multiples);
  return (
    <section className="panel" aria-labelledby="multiples-title">
      <h2 id="multiples-title">Compare gradients</h2>
      {ids.length === 0 ? (
        <p className="placeholder">Tick “compare” in the table to add losses here.</p>
      ) : (
        <div className="multiples">
          {ids.map((id) => (
            <Multiple key={id} id={id} />
          ))}
        </div>
      )}
    </section>
  );
}

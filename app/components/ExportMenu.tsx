import { useState } from 'react';
import { version } from '../../package.json';
import { getLoss } from '../../src';
import { downloadBlob, rgbaToPng } from '../export/download';
import { waitForCurrent } from '../export/fresh';
import { encodeNpy } from '../export/npy-write';
import { EXPORT_SCALES, heatmapRgba, labelsRgba, predictionRgba, upscaleNearest } from '../export/png';
import { type ExportMeta, exportRows, fileStamp, toCsv, toJson } from '../export/table';
import { errorMessage } from '../messages';
import { gradientChannel, maxAbs } from '../render/heatmap';
import { useStore } from '../store';

type Picture = 'heatmap' | 'ground-truth' | 'prediction';

function metaNow(): ExportMeta {
  const s = useStore.getState();
  return {
    app: 'segloss-explorer',
    version,
    exportedAt: new Date().toISOString(),
    backend: s.backend?.name ?? null,
    width: s.width,
    height: s.height,
    numClasses: s.numClasses,
    focusedLoss: s.focusedLoss,
  };
}

function rowsNow() {
  const s = useStore.getState();
  return exportRows(s.results, s.enabled, s.params, s.numClasses, s.stateVersion);
}

/** How long an export waits for the values of the current inputs before writing what it has, marked stale. */
const WAIT_MS = 20_000;

/** The picture at grid resolution, or a reason why there is none. */
function pixels(what: Picture): { rgba: Uint8ClampedArray; width: number; height: number; name: string } | string {
  const s = useStore.getState();
  if (what === 'ground-truth') return { rgba: labelsRgba(s.target), width: s.width, height: s.height, name: what };
  if (what === 'prediction')
    return { rgba: predictionRgba(s.logits, s.numClasses), width: s.width, height: s.height, name: what };
  const r = s.results[s.focusedLoss];
  const grad = r?.grad;
  const shape = r?.state; // the masks this gradient was computed from
  if (!grad || !shape) return `${getLoss(s.focusedLoss).name} has no gradient to export yet`;
  if (r.version !== s.stateVersion) {
    return `${getLoss(s.focusedLoss).name}'s gradient is still being computed for the current masks; try again in a moment`;
  }
  const channel = Math.min(s.heatmapClass, shape.numClasses - 1);
  const values = gradientChannel(grad, shape.probabilities, shape.numClasses, channel, s.heatmapMode);
  return {
    rgba: heatmapRgba(values, maxAbs(values)),
    width: shape.width,
    height: shape.height,
    name: `${s.focusedLoss}-d${s.heatmapMode === 'logit' ? 'logit' : 'prob'}-class${channel}`,
  };
}

/**
 * Export menu: the loss table (CSV, JSON) and PNGs of the heatmap and the masks at 1×, 2×, 3×. The table and the
 * heatmap wait for the values of the current inputs first; a value still not current is exported as "stale".
 */
export function ExportMenu() {
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(false);

  /** Waits (up to WAIT_MS) until the values belong to the current inputs; false when some still do not. */
  async function current(): Promise<boolean> {
    setWaiting(true);
    try {
      return await waitForCurrent(useStore, WAIT_MS);
    } finally {
      setWaiting(false);
    }
  }

  async function table(kind: 'csv' | 'json') {
    setError(null);
    if (!(await current())) setError('Some values were not current; they are marked "stale" in the export.');
    const meta = metaNow();
    const text = kind === 'csv' ? toCsv(meta, rowsNow()) : toJson(meta, rowsNow());
    const type = kind === 'csv' ? 'text/csv;charset=utf-8' : 'application/json';
    downloadBlob(new Blob([text], { type }), `segloss-losses-${fileStamp(meta.exportedAt)}.${kind}`);
  }

  /**
   * The masks as NumPy arrays, in PyTorch's layout (see the loss card's PyTorch snippet): target int32 [1, H, W],
   * logits float32 [1, C, H, W] (channels first: the explorer's [1, H, W, C] transposed).
   */
  function npy(what: 'target' | 'logits') {
    const s = useStore.getState();
    const { width: w, height: h, numClasses: c } = s;
    if (what === 'target') {
      const bytes = encodeNpy({ data: s.target, dtype: '<i4' }, [1, h, w]);
      downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>]), `segloss-target-${w}x${h}.npy`);
      return;
    }
    const nchw = new Float32Array(s.logits.length);
    for (let i = 0; i < w * h; i++) for (let k = 0; k < c; k++) nchw[k * w * h + i] = s.logits[i * c + k]!;
    const bytes = encodeNpy({ data: nchw, dtype: '<f4' }, [1, c, h, w]);
    downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>]), `segloss-logits-${w}x${h}x${c}.npy`);
  }

  async function png(what: Picture, k: number) {
    setError(null);
    if (what === 'heatmap') await current();
    const p = pixels(what);
    if (typeof p === 'string') {
      setError(p);
      return;
    }
    try {
      const blob = await rgbaToPng(upscaleNearest(p.rgba, p.width, p.height, k), p.width * k, p.height * k);
      downloadBlob(blob, `segloss-${p.name}-${p.width}x${p.height}@${k}x.png`);
    } catch (e) {
      setError(`PNG export failed: ${errorMessage(e)}`);
    }
  }

  const pictures: [Picture, string][] = [
    ['heatmap', 'Gradient heatmap'],
    ['ground-truth', 'Ground truth'],
    ['prediction', 'Prediction'],
  ];
  return (
    <details className="export-menu" data-testid="export-menu">
      <summary>Export</summary>
      <div className="export-items">
        <div>
          Loss table{' '}
          <button type="button" onClick={() => void table('csv')} data-testid="export-csv">
            CSV
          </button>{' '}
          <button type="button" onClick={() => void table('json')} data-testid="export-json">
            JSON
          </button>
        </div>
        <div>
          NumPy{' '}
          <button
            type="button"
            onClick={() => npy('target')}
            data-testid="export-npy-target"
            title="int32 [1, H, W] class indices"
          >
            target .npy
          </button>{' '}
          <button
            type="button"
            onClick={() => npy('logits')}
            data-testid="export-npy-logits"
            title="float32 [1, C, H, W] logits, channels first as PyTorch expects"
          >
            logits .npy
          </button>
        </div>
        {pictures.map(([what, label]) => (
          <div key={what}>
            {label} PNG{' '}
            {EXPORT_SCALES.map((k) => (
              <button
                key={k}
                type="button"
                onClick={() => void png(what, k)}
                data-testid={`export-png-${what}-${k}`}
                aria-label={`${label} PNG at ${k}×`}
              >
                {k}×
              </button>
            ))}
          </div>
        ))}
        {waiting && (
          <p className="hint" role="status" data-testid="export-waiting">
            Waiting for the current values…
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </details>
  );
}

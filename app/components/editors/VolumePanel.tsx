// NIfTI volumes (.nii, .nii.gz): a ground-truth label volume, a prediction volume and a CT/MR underlay volume.
// The explorer computes on one slice: pick the plane and the slice (slider, or PageUp/PageDown and Home/End
// while the slider has focus), and a CT/MR window for the underlay. Reading and slicing live in app/io/nifti/.
import { useEffect, useState } from 'react';
import { type Orientation, orientationOf, PLANES, type Plane, sliceCount } from '../../io/nifti/orient';
import { type NiftiVolume, readNifti } from '../../io/nifti/read';
import {
  autoWindow,
  classVolume,
  type LabelVolume,
  maskSlice,
  type PredictionVolume,
  predictionVolume,
  sameGrid,
  WINDOW_PRESETS,
  windowedSlice,
} from '../../io/nifti/slices';
import { errorMessage } from '../../messages';
import { replaceMasks, useStore } from '../../store';

type Which = 'gt' | 'pred' | 'underlay';
interface Underlay {
  volume: NiftiVolume;
  orientation: Orientation;
  name: string;
}
type Window = { level: number; width: number };

export const isNiftiName = (name: string) => /\.nii(\.gz)?$/i.test(name);

async function readFile(file: File): Promise<NiftiVolume> {
  return readNifti(await file.arrayBuffer(), file.name);
}

/** The underlay slice as a PNG object URL (the editors draw underlays as images). */
async function underlayUrl(u: Underlay, plane: Plane, index: number, window: Window): Promise<string> {
  const s = windowedSlice(u.volume, u.orientation, plane, index, window);
  const rgba = new Uint8ClampedArray(s.width * s.height * 4);
  for (let i = 0; i < s.grey.length; i++) {
    rgba.fill(s.grey[i]!, 4 * i, 4 * i + 3);
    rgba[4 * i + 3] = 255;
  }
  const canvas = document.createElement('canvas');
  canvas.width = s.width;
  canvas.height = s.height;
  canvas.getContext('2d')?.putImageData(new ImageData(rgba, s.width, s.height), 0, 0);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (!blob) throw new Error('the underlay slice could not be drawn');
  return URL.createObjectURL(blob);
}

export function VolumePanel() {
  const [gt, setGt] = useState<(LabelVolume & { name: string }) | null>(null);
  const [pred, setPred] = useState<(PredictionVolume & { name: string }) | null>(null);
  const [under, setUnder] = useState<Underlay | null>(null);
  const [plane, setPlane] = useState<Plane>('axial');
  const [index, setIndex] = useState(0);
  const [window, setWindow] = useState<Window>(WINDOW_PRESETS['soft tissue']);
  const [error, setError] = useState<string | null>(null);
  const orientation = gt?.orientation ?? under?.orientation ?? null;
  const count = orientation ? sliceCount(orientation, plane) : 0;

  // The masks follow the chosen slice (no undo entry per slice: the volumes themselves are not edited).
  useEffect(() => {
    if (!gt) return;
    try {
      const m = maskSlice(gt, pred, plane, Math.min(index, count - 1));
      replaceMasks(m, `${gt.name}${pred ? ` + ${pred.name}` : ''}, ${plane} slice ${index + 1}/${count}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [gt, pred, plane, index, count]);

  useEffect(() => {
    if (!under) return;
    let stale = false;
    underlayUrl(under, plane, Math.min(index, sliceCount(under.orientation, plane) - 1), window)
      .then((url) => {
        if (stale) URL.revokeObjectURL(url);
        else useStore.getState().setUnderlay({ url, name: `${under.name} (${plane} ${index + 1})` });
      })
      .catch((e) => setError(errorMessage(e)));
    return () => {
      stale = true;
    };
  }, [under, plane, index, window]);

  async function load(which: Which, file: File | undefined) {
    if (!file) return;
    setError(null);
    try {
      const volume = await readFile(file);
      if (which === 'gt') {
        const g = classVolume(volume, file.name);
        if (pred) sameGrid(g.orientation, pred.orientation, `the prediction ${pred.name}`);
        setGt({ ...g, name: file.name });
        setIndex(Math.floor(sliceCount(g.orientation, plane) / 2));
      } else if (which === 'pred') {
        const p = predictionVolume(volume, file.name);
        if (gt) sameGrid(gt.orientation, p.orientation, file.name);
        setPred({ ...p, name: file.name });
      } else {
        const o = orientationOf(volume.affine, volume.dims);
        if (gt) sameGrid(gt.orientation, o, file.name);
        setUnder({ volume, orientation: o, name: file.name });
        setWindow(volume.data.some((v) => v < -500) ? WINDOW_PRESETS['soft tissue'] : autoWindow(volume));
      }
    } catch (e) {
      setError(`${errorMessage(e)}. Nothing was changed.`);
    }
  }

  const presetName = (Object.entries(WINDOW_PRESETS).find(
    ([, w]) => w.level === window.level && w.width === window.width,
  )?.[0] ?? 'custom') as string;

  return (
    <details className="volume-panel" data-testid="nifti-panel" open={gt !== null || under !== null}>
      <summary>NIfTI volumes (.nii, .nii.gz)</summary>
      <div className="group">
        {(['gt', 'pred', 'underlay'] as const).map((w) => (
          <label key={w}>
            {w === 'gt' ? 'Ground truth' : w === 'pred' ? 'Prediction' : 'CT/MR underlay'}{' '}
            <input
              type="file"
              accept=".nii,.gz,application/gzip"
              data-testid={`upload-nifti-${w}`}
              onChange={(e) => {
                void load(w, e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </label>
        ))}
      </div>
      {error && (
        <p role="alert" className="error" data-testid="nifti-error">
          {error}
        </p>
      )}
      {orientation && (
        <div className="group">
          <label>
            Plane{' '}
            <select
              value={plane}
              data-testid="nifti-plane"
              onChange={(e) => {
                const p = e.target.value as Plane;
                setPlane(p);
                setIndex(Math.floor(sliceCount(orientation, p) / 2));
              }}
            >
              {PLANES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label>
            Slice{' '}
            <input
              type="range"
              min={0}
              max={count - 1}
              value={Math.min(index, count - 1)}
              data-testid="nifti-slice"
              aria-valuetext={`${plane} slice ${index + 1} of ${count}`}
              onChange={(e) => setIndex(Number(e.target.value))}
            />{' '}
            <output data-testid="nifti-slice-number" data-index={index}>
              {index + 1}/{count}
            </output>
          </label>
          <small className="muted" title="voxel axes of the ground truth (or underlay) file, RAS+ world">
            stored {(gt?.orientation ?? under?.orientation)?.codes}; shown radiological
          </small>
        </div>
      )}
      {under && (
        <div className="group">
          <label>
            Window{' '}
            <select
              value={presetName}
              data-testid="nifti-window"
              onChange={(e) => {
                const w = WINDOW_PRESETS[e.target.value as keyof typeof WINDOW_PRESETS];
                setWindow(w ?? autoWindow(under.volume));
              }}
            >
              {Object.keys(WINDOW_PRESETS).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
              <option value="custom">{presetName === 'custom' ? 'custom' : 'auto (MR: 1st–99th percentile)'}</option>
            </select>
          </label>
          <label>
            level{' '}
            <input
              type="number"
              value={Math.round(window.level)}
              data-testid="nifti-level"
              onChange={(e) =>
                Number.isFinite(e.target.valueAsNumber) && setWindow({ ...window, level: e.target.valueAsNumber })
              }
            />
          </label>
          <label>
            width{' '}
            <input
              type="number"
              min={1}
              value={Math.round(window.width)}
              data-testid="nifti-width"
              onChange={(e) => e.target.valueAsNumber >= 1 && setWindow({ ...window, width: e.target.valueAsNumber })}
            />
          </label>
        </div>
      )}
    </details>
  );
}

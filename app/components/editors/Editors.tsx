// The ground-truth and prediction editors side by side, with the data bar (presets, classes, uploads, underlay,
// undo/redo) and the class legend. The key handler, the undo/redo buttons and the shortcut help come from the
// command registry (commands.ts).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MAX_CLASSES, MIN_CLASSES, PALETTE } from '../../editing/palette';
import { underlayFits } from '../../editing/underlay-fit';
import { imageHeaderSize } from '../../io/image-header';
import type { NpyReading } from '../../io/npy';
import { fetchPreset, fetchPresetIndex, type PresetIndexEntry } from '../../io/presets';
import { VolumePanel } from './VolumePanel';
import './editors.css';
import { CANVAS_KEYS, commandForKey, commandsIn, EDITOR_COMMANDS } from './commands';
import { GtEditor } from './GtEditor';
import { LossAnnouncer } from './LossAnnouncer';
import { className } from './names';
import { PredEditor } from './PredEditor';
import { processUpload, type UploadOutcome, type UploadTarget } from './uploads';
import { useEditorStore } from './useEditorStore';

const HISTORY_COMMANDS = commandsIn('history');

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el?.tagName) return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || el.isContentEditable) return true;
  if (tag === 'input') {
    const type = (el as HTMLInputElement).type;
    return !['range', 'checkbox', 'radio', 'button', 'file'].includes(type);
  }
  return false;
}

function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e.target)) return;
      const command = commandForKey(e);
      if (!command) return;
      // Ctrl/⌘ chords (undo, redo) would otherwise reach the browser.
      if (e.ctrlKey || e.metaKey) e.preventDefault();
      command.perform(useEditorStore.getState(), e.key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** An image's size from its header (PNG, JPEG, WebP), else by decoding it; null when it is not an image. */
async function imageSize(file: File): Promise<{ width: number; height: number } | null> {
  const head = imageHeaderSize(new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer()));
  if (head) return head;
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}

interface AlertState {
  message: string;
  kind: string;
  retry?: () => void;
}

function Presets({ onError, onLoaded }: { onError(m: string | null): void; onLoaded(text: string): void }) {
  const [index, setIndex] = useState<PresetIndexEntry[] | null>(null);
  const [choice, setChoice] = useState('');
  useEffect(() => {
    fetchPresetIndex()
      .then((ix) => {
        setIndex(ix);
        setChoice(ix[0]?.file ?? '');
      })
      .catch((e) => onError(`The preset list could not be loaded (${(e as Error).message}).`));
  }, [onError]);
  const load = async () => {
    if (!choice) return;
    try {
      const p = await fetchPreset(choice);
      useEditorStore.getState().loadMasks(p.masks, { source: p.name, classNames: p.classNames ?? null });
      onError(null);
      onLoaded(`Preset “${p.name}”: ${p.description}`);
    } catch (e) {
      onError(`The preset could not be loaded (${(e as Error).message}).`);
    }
  };
  const desc = index?.find((p) => p.file === choice)?.description;
  return (
    <div className="group">
      <label>
        Preset{' '}
        <select
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          data-testid="preset-select"
          disabled={!index}
          title={desc}
        >
          {(index ?? []).map((p) => (
            <option key={p.id} value={p.file} data-preset-id={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={load} disabled={!index} data-testid="preset-load">
        Load
      </button>
    </div>
  );
}

/**
 * Undo and redo, subscribed on their own: the first stroke enables Undo, which would otherwise re-render the
 * whole data bar (its uploads and checkboxes) with the edit.
 */
function HistoryButtons() {
  const enabled = useEditorStore(useShallow((s) => HISTORY_COMMANDS.map((c) => c.enabled?.(s) ?? true)));
  return (
    <div className="group">
      {HISTORY_COMMANDS.map((c, i) => (
        <button
          key={c.id}
          type="button"
          onClick={() => c.perform(useEditorStore.getState(), c.key)}
          disabled={!enabled[i]}
          data-testid={c.id}
          data-command={c.id}
          title={`${c.label} (${c.key})`}
        >
          {c.label}
        </button>
      ))}
    </div>
  );
}

function ClassLegend() {
  const { numClasses, names, active, setActiveClass, setNumClasses, target } = useEditorStore(
    useShallow((s) => ({
      target: s.target,
      numClasses: s.numClasses,
      names: s.classNames,
      active: s.activeClass,
      setActiveClass: s.setActiveClass,
      setNumClasses: s.setNumClasses,
    })),
  );
  const share = useMemo(() => {
    const counts = new Float64Array(MAX_CLASSES);
    for (let i = 0; i < target.length; i++) counts[target[i]!]! += 1;
    return Array.from(counts, (c) => c / Math.max(1, target.length));
  }, [target]);
  const pct = (f: number) => (f === 0 ? '0 %' : f < 0.001 ? '<0.1 %' : `${(100 * f).toFixed(f < 0.1 ? 1 : 0)} %`);
  return (
    <div className="group legend-group">
      <label>
        Classes{' '}
        <select
          value={numClasses}
          onChange={(e) => setNumClasses(Number(e.target.value))}
          data-testid="num-classes"
          aria-label="Number of classes"
        >
          {Array.from({ length: MAX_CLASSES - MIN_CLASSES + 1 }, (_, i) => i + MIN_CLASSES).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <ul className="class-legend" aria-label="Class colours (Okabe–Ito palette); choose the ground-truth class">
        {Array.from({ length: numClasses }, (_, k) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: classes are indices
          <li key={k}>
            <button
              type="button"
              aria-pressed={active === k}
              onClick={() => setActiveClass(k)}
              title={`${PALETTE[k]?.name} — key ${k}; ${pct(share[k] ?? 0)} of the ground-truth pixels`}
              data-testid={`legend-class-${k}`}
            >
              <span className="swatch" style={{ background: PALETTE[k]?.hex }} aria-hidden="true" />
              {k}: {className(k, names)} <small className="share">{pct(share[k] ?? 0)}</small>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Editors() {
  useShortcuts();
  const [alert, setAlert] = useState<AlertState | null>(null);
  // A status line about how the masks were loaded (a preset's description, "downsampled from …") belongs to
  // those masks: once they are replaced (Reset, a grid change, a link, another load) it is no longer shown.
  const [noticeState, setNoticeState] = useState<{ text: string; masks: Int32Array } | null>(null);
  const currentTarget = useEditorStore((s) => s.target);
  const setNotice = useCallback((text: string | null) => {
    setNoticeState(text === null ? null : { text, masks: useEditorStore.getState().target });
  }, []);
  const notice = noticeState && noticeState.masks === currentTarget ? noticeState.text : null;
  const [reading, setReading] = useState<NpyReading>('auto');
  const [busy, setBusy] = useState(false);
  const { source, underlay, underlayOpacity, penPressure } = useEditorStore(
    useShallow((s) => ({
      penPressure: s.penPressure,
      source: s.source,
      underlay: s.underlay,
      underlayOpacity: s.underlayOpacity,
    })),
  );

  const presetError = useCallback(
    (m: string | null) => {
      setAlert(m ? { message: m, kind: 'preset' } : null);
      setNotice(null);
    },
    [setNotice],
  );

  const finish = useCallback(
    (out: UploadOutcome, what: UploadTarget) => {
      if (out.ok) {
        useEditorStore.getState().loadMasks(out.result.masks, { source: out.source });
        setAlert(null);
        setNotice(out.result.notice ?? null);
        return;
      }
      const retry = out.retryDownsampled;
      setNotice(null);
      setAlert({
        message: out.message,
        kind: out.kind,
        retry: retry
          ? () => {
              setBusy(true);
              retry(useEditorStore.getState())
                .then((o) => finish(o, what))
                .finally(() => setBusy(false));
            }
          : undefined,
      });
    },
    [setNotice],
  );

  const upload = useCallback(
    async (file: File | undefined, what: UploadTarget) => {
      if (!file) return;
      setBusy(true);
      try {
        finish(await processUpload(file, what, useEditorStore.getState(), { reading }), what);
      } finally {
        setBusy(false);
      }
    },
    [reading, finish],
  );

  // An underlay drawn over a grid of another shape would be stretched out of register with the masks: after a
  // grid change (a preset, Reset, an upload of another shape) it is removed, and the status line says so.
  const grid = useEditorStore(useShallow((s) => ({ width: s.width, height: s.height })));
  useEffect(() => {
    const u = useEditorStore.getState().underlay;
    if (!u?.width || !u.height || underlayFits({ width: u.width, height: u.height }, grid)) return;
    useEditorStore.getState().setUnderlay(null);
    setNotice(
      `Removed the underlay ${u.name}: it is ${u.width}×${u.height} px and would be stretched over the ` +
        `${grid.width}×${grid.height} grid.`,
    );
  }, [grid, setNotice]);

  const setUnderlayFile = async (file: File | undefined) => {
    if (!file) return;
    if (!/^image\//.test(file.type) && !/\.(png|jpe?g|webp|gif|bmp)$/i.test(file.name)) {
      setAlert({
        message: `${file.name} is not an image; the underlay must be a PNG, JPEG or WebP.`,
        kind: 'wrong-type',
      });
      return;
    }
    const size = await imageSize(file);
    if (!size) {
      setAlert({ message: `${file.name} could not be read as an image.`, kind: 'corrupt' });
      return;
    }
    const st = useEditorStore.getState();
    if (!underlayFits(size, st)) {
      setAlert({
        message:
          `The underlay ${file.name} is ${size.width}×${size.height} px but the grid is ${st.width}×${st.height}: ` +
          'it would be stretched out of register with the masks. Load a ground truth of its shape first.',
        kind: 'size-mismatch',
      });
      return;
    }
    st.setUnderlay({ url: URL.createObjectURL(file), name: file.name, ...size });
    setAlert(null);
  };

  const st = useEditorStore.getState();
  return (
    <section aria-label="Editors" className="editors" data-busy={busy ? 'true' : 'false'}>
      <div className="data-bar">
        <Presets onError={presetError} onLoaded={setNotice} />
        <ClassLegend />
        <HistoryButtons />
        <label className="group" title="Pen input: scale the brush size and the soft brush's strength by pressure">
          <input
            type="checkbox"
            checked={penPressure}
            onChange={(e) => st.setPenPressure(e.target.checked)}
            data-testid="pen-pressure"
          />{' '}
          Pen pressure
        </label>
      </div>
      <p className="source" role="status" data-testid="upload-status">
        {notice ?? `Showing: ${source}.`} <span className="hint">Drop files on a canvas to load them.</span>
      </p>
      <div className="editor-pair">
        <GtEditor onDropFile={(f) => void upload(f, 'target')} />
        <PredEditor onDropFile={(f) => void upload(f, 'prediction')} />
      </div>
      {/* Below the canvases so that the drawing fits the first screen (the teaching layout). */}
      <fieldset className="data-bar uploads">
        <legend className="sr-only">Your own data</legend>
        <label className="file">
          Ground truth (PNG/JPEG/WebP, .npy){' '}
          <input
            type="file"
            accept=".png,.jpg,.jpeg,.webp,.npy,image/png,image/jpeg,image/webp"
            data-testid="upload-target"
            onChange={(e) => {
              void upload(e.target.files?.[0], 'target');
              e.target.value = '';
            }}
          />
        </label>
        <label className="file">
          Prediction (grey image, .npy){' '}
          <input
            type="file"
            accept=".png,.jpg,.jpeg,.webp,.npy,image/png,image/jpeg,image/webp"
            data-testid="upload-prediction"
            onChange={(e) => {
              void upload(e.target.files?.[0], 'prediction');
              e.target.value = '';
            }}
          />
        </label>
        <label>
          .npy values{' '}
          <select value={reading} onChange={(e) => setReading(e.target.value as NpyReading)} data-testid="npy-reading">
            <option value="auto">guess</option>
            <option value="probabilities">probabilities</option>
            <option value="logits">logits</option>
          </select>
        </label>
        <label className="file">
          Underlay image{' '}
          <input
            type="file"
            accept="image/*"
            data-testid="upload-underlay"
            onChange={(e) => {
              void setUnderlayFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        {underlay && (
          <>
            <label>
              opacity{' '}
              <input
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={underlayOpacity}
                onChange={(e) => st.setUnderlayOpacity(Number(e.target.value))}
                data-testid="underlay-opacity"
              />
            </label>
            <button type="button" onClick={() => st.setUnderlay(null)} title={underlay.name}>
              Remove underlay
            </button>
            <span className="hint">{underlay.name}</span>
          </>
        )}
      </fieldset>
      <VolumePanel />
      {alert && (
        <div role="alert" className="upload-alert" data-testid="upload-alert" data-kind={alert.kind}>
          <span>{alert.message}</span>
          {alert.retry && (
            <button type="button" onClick={alert.retry} data-testid="downsample" disabled={busy}>
              Downsample
            </button>
          )}
          <button type="button" onClick={() => setAlert(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <LossAnnouncer />
      <details className="shortcuts">
        <summary>Keyboard shortcuts</summary>
        <dl>
          {EDITOR_COMMANDS.map((c) => (
            <div key={c.id} data-command={c.id}>
              <dt>
                <span className="cmd-icon" aria-hidden="true">
                  {c.icon}
                </span>{' '}
                <kbd>{c.key}</kbd>
              </dt>
              <dd>{c.help}</dd>
            </div>
          ))}
          {CANVAS_KEYS.map(([k, v]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}

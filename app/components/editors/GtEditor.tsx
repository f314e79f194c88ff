// Ground-truth editor: label brush per class, eraser, flood fill, disc and rectangle stamps.
import { useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { floodFill, type Point, paintDisc, paintRect, paintStroke } from '../../editing/labels';
import { PALETTE } from '../../editing/palette';
import { pressureBrushSize } from '../../editing/pen';
import { BRUSH_MAX, BRUSH_MIN } from '../../store/masks';
import { ClassSelect } from './ClassSelect';
import { commandsIn } from './commands';
import { type CanvasHandlers, MaskCanvas } from './MaskCanvas';
import { className } from './names';
import { labelsToImageData } from './paint';
import { useEditorStore } from './useEditorStore';

const TOOL_COMMANDS = commandsIn('gt-tools');
const [CLASS_COMMAND] = commandsIn('gt-class');

export function GtEditor({ onDropFile }: { onDropFile(f: File): void }) {
  const s = useEditorStore(
    useShallow((st) => ({
      width: st.width,
      height: st.height,
      numClasses: st.numClasses,
      target: st.target,
      targetVersion: st.targetVersion,
      tool: st.tool,
      activeClass: st.activeClass,
      brushSize: st.brushSize,
      underlay: st.underlay,
      underlayOpacity: st.underlayOpacity,
      classNames: st.classNames,
    })),
  );
  const { setActiveClass, setBrushSize } = useEditorStore.getState();
  const image = useMemo(
    () =>
      labelsToImageData(s.target, s.width, s.height, {
        transparentBackground: !!s.underlay,
        alpha: s.underlay ? 0.6 : 1,
      }),
    [s.target, s.width, s.height, s.underlay],
  );
  const last = useRef<Point | null>(null);
  const [anchor, setAnchor] = useState<Point | null>(null);
  const cls = s.tool === 'eraser' ? 0 : s.activeClass;
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const inside = at && at.x >= 0 && at.y >= 0 && at.x < s.width && at.y < s.height;
  const k = inside ? s.target[at.y * s.width + at.x]! : null;

  const handlers: CanvasHandlers = {
    down(p, pressure) {
      const st = useEditorStore.getState();
      const g = { width: st.width, height: st.height };
      switch (st.tool) {
        case 'brush':
        case 'eraser':
          st.beginGesture();
          st.setTarget(paintStroke(st.target, g, [p], pressureBrushSize(st.brushSize, pressure, st.penPressure), cls));
          last.current = p;
          break;
        case 'fill':
          st.setTarget(floodFill(st.target, g, Math.round(p.x), Math.round(p.y), cls));
          break;
        case 'disc':
          st.setTarget(paintDisc(st.target, g, Math.round(p.x), Math.round(p.y), st.brushSize, cls));
          break;
        case 'rect':
          setAnchor(p);
          break;
      }
    },
    move(points, pressure) {
      const st = useEditorStore.getState();
      if ((st.tool !== 'brush' && st.tool !== 'eraser') || !last.current) return;
      const g = { width: st.width, height: st.height };
      const size = pressureBrushSize(st.brushSize, pressure, st.penPressure);
      st.setTarget(paintStroke(st.target, g, [last.current, ...points], size, cls));
      last.current = points[points.length - 1] ?? last.current;
    },
    up(p) {
      const st = useEditorStore.getState();
      if (last.current) {
        last.current = null;
        st.endGesture();
      }
      if (st.tool === 'rect' && anchor) {
        st.setTarget(paintRect(st.target, { width: st.width, height: st.height }, anchor, p, cls));
        setAnchor(null);
      }
    },
    cancel() {
      setAnchor(null);
    },
    key(p) {
      const st = useEditorStore.getState();
      const g = { width: st.width, height: st.height };
      switch (st.tool) {
        case 'brush':
        case 'eraser':
        case 'disc':
          st.setTarget(paintDisc(st.target, g, p.x, p.y, st.brushSize, cls));
          break;
        case 'fill':
          st.setTarget(floodFill(st.target, g, p.x, p.y, cls));
          break;
        case 'rect':
          if (anchor) {
            st.setTarget(paintRect(st.target, g, anchor, p, cls));
            setAnchor(null);
          } else setAnchor(p);
          break;
      }
    },
  };

  return (
    <section className="editor" aria-labelledby="gt-editor-title">
      <h2 id="gt-editor-title">Ground truth</h2>
      <div className="editor-tools" role="toolbar" aria-label="Ground-truth tools">
        {TOOL_COMMANDS.map((t) => (
          <button
            key={t.id}
            type="button"
            aria-pressed={s.tool === t.tool}
            title={`${t.label} (${t.key})`}
            data-testid={t.id}
            data-command={t.id}
            onClick={() => t.perform(useEditorStore.getState(), t.key)}
          >
            {t.label} <kbd>{t.key}</kbd>
          </button>
        ))}
      </div>
      <div className="editor-tools">
        <ClassSelect
          label="Class"
          value={s.activeClass}
          numClasses={s.numClasses}
          names={s.classNames}
          onChange={setActiveClass}
          testId="gt-class"
          command={CLASS_COMMAND && { id: CLASS_COMMAND.id, key: CLASS_COMMAND.key }}
          disabled={s.tool === 'eraser'}
        />
        <label>
          Size{' '}
          <input
            type="range"
            min={BRUSH_MIN}
            max={BRUSH_MAX}
            value={s.brushSize}
            onChange={(e) => setBrushSize(Number(e.target.value))}
            data-testid="brush-size"
            aria-describedby="brush-size-keys"
          />{' '}
          <output>{s.brushSize} px</output>
        </label>
        <span id="brush-size-keys" className="hint">
          {commandsIn('gt-size').map((c) => (
            <kbd key={c.id} title={`${c.label} (${c.key})`} data-command={c.id}>
              {c.key}
            </kbd>
          ))}
        </span>
      </div>
      <MaskCanvas
        width={s.width}
        height={s.height}
        image={image}
        underlayUrl={s.underlay?.url ?? null}
        underlayOpacity={s.underlayOpacity}
        label={`Ground-truth editor, ${s.width}×${s.height}, tool ${s.tool}. Arrow keys move the cursor, Enter or Space applies the tool.`}
        testId="gt-canvas"
        cursorRadius={s.tool === 'fill' || s.tool === 'rect' ? null : s.brushSize}
        anchor={anchor}
        handlers={handlers}
        onDropFile={onDropFile}
        onHover={setAt}
        dataAttrs={{ 'target-version': s.targetVersion }}
      />
      <p className="edit-readout" aria-live="off" data-testid="gt-readout">
        {inside && k !== null ? (
          <>
            <span>
              ({at.x}, {at.y})
            </span>
            <span className="prob">
              <span className="swatch" style={{ background: PALETTE[k]?.hex }} aria-hidden="true" /> class {k}:{' '}
              {className(k, s.classNames)}
            </span>
          </>
        ) : (
          <span>Point at a pixel to read its class.</span>
        )}
      </p>
    </section>
  );
}

// A layered editor canvas (as in Excalidraw: stacked canvases, each redrawn only when its content changes):
//   1. underlay image (optional, with opacity), 2. the mask at grid resolution, scaled with pixelated rendering,
//   3. a cursor overlay at device resolution (brush outline, keyboard cursor, rectangle preview).
// Input: Pointer Events (mouse, pen, touch; touch-action: none) with pointer capture and coalesced events;
// palm rejection: after a pen has been used, touch pointers are ignored until the page reloads;
// keyboard: arrow keys move a keyboard cursor (Shift = 8 px), Enter/Space apply the tool there.
import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { Point } from '../../editing/labels';
import { rejectsPointer } from '../../editing/pen';
import { pixelContext } from '../../render/heatmap';
import { picksPixel, usePixelCurves } from '../landscape/pixel-state';

/** Set once a pen touches any editor canvas; from then on touch pointers are palm touches (until reload). */
let penSeen = false;

export interface CanvasHandlers {
  /** `pressure`: PointerEvent.pressure of the event (pen pressure; 0.5 or 0 for devices without it). */
  down(p: Point, pressure?: number): void;
  move(points: Point[], pressure?: number): void;
  up(p: Point): void;
  /** Enter/Space on the keyboard cursor. */
  key(p: Point): void;
  /** Escape: abandon what is in progress (e.g. a rectangle's first corner). */
  cancel?(): void;
}

export interface MaskCanvasProps {
  width: number;
  height: number;
  image: ImageData;
  underlayUrl: string | null;
  underlayOpacity: number;
  label: string;
  testId: string;
  /** Radius of the brush outline in grid pixels (null: a crosshair). */
  cursorRadius: number | null;
  /** Corner of a rectangle being drawn (pointer drag or keyboard), previewed up to the cursor. */
  anchor: Point | null;
  handlers: CanvasHandlers;
  onDropFile?(file: File): void;
  /** The grid pixel under the pointer or keyboard cursor (null when neither is on the canvas). */
  onHover?(p: { x: number; y: number } | null): void;
  dataAttrs?: Record<string, string | number>;
}

function clampPoint(p: Point, w: number, h: number): Point {
  return { x: Math.max(0, Math.min(w - 1, p.x)), y: Math.max(0, Math.min(h - 1, p.y)) };
}

export function MaskCanvas(props: MaskCanvasProps) {
  const { width, height, image, handlers, anchor, cursorRadius } = props;
  const maskRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const pressed = useRef<number | null>(null);
  const [hover, setHover] = useState<Point | null>(null);
  const [kb, setKb] = useState<Point>({ x: Math.floor(width / 2), y: Math.floor(height / 2) });
  const [kbVisible, setKbVisible] = useState(false);
  const [dragOver, setDragOver] = useState(false);
  const picking = usePixelCurves((s) => s.pickArmed);

  useEffect(() => {
    setKb((k) => clampPoint(k, width, height));
  }, [width, height]);

  const onHover = props.onHover;
  useEffect(() => {
    const at = kbVisible ? kb : hover;
    onHover?.(at ? { x: Math.round(at.x), y: Math.round(at.y) } : null);
  }, [hover, kb, kbVisible, onHover]);

  // Layer 2: the mask.
  useEffect(() => {
    const c = maskRef.current;
    if (!c) return;
    if (c.width !== width) c.width = width;
    if (c.height !== height) c.height = height;
    pixelContext(c)?.putImageData(image, 0, 0);
  }, [image, width, height]);

  // Layer 3: the cursor overlay, at device resolution.
  useEffect(() => {
    const c = overlayRef.current;
    const wrap = wrapRef.current;
    if (!c || !wrap) return;
    const rect = wrap.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const W = Math.max(1, Math.round(rect.width * dpr));
    const H = Math.max(1, Math.round(rect.height * dpr));
    if (c.width !== W) c.width = W;
    if (c.height !== H) c.height = H;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, W, H);
    const sx = W / width;
    const sy = H / height;
    const at = kbVisible ? kb : hover;
    if (anchor && at) {
      const x0 = Math.min(anchor.x, at.x);
      const y0 = Math.min(anchor.y, at.y);
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.lineWidth = 1.5 * dpr;
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(
        Math.round(x0) * sx,
        Math.round(y0) * sy,
        (Math.round(Math.abs(at.x - anchor.x)) + 1) * sx,
        (Math.round(Math.abs(at.y - anchor.y)) + 1) * sy,
      );
      ctx.setLineDash([]);
    }
    if (at) {
      const cx = (at.x + 0.5) * sx;
      const cy = (at.y + 0.5) * sy;
      ctx.lineWidth = 1.5 * dpr;
      for (const [color, off] of [
        ['rgba(0,0,0,0.8)', 1],
        ['#ffffff', 0],
      ] as const) {
        ctx.strokeStyle = color;
        ctx.beginPath();
        if (cursorRadius !== null)
          ctx.arc(cx, cy, Math.max(2 * dpr, (cursorRadius + 0.5) * sx) + off * dpr, 0, 2 * Math.PI);
        else {
          ctx.moveTo(cx - 6 * dpr, cy);
          ctx.lineTo(cx + 6 * dpr, cy);
          ctx.moveTo(cx, cy - 6 * dpr);
          ctx.lineTo(cx, cy + 6 * dpr);
        }
        ctx.stroke();
      }
      if (kbVisible) {
        ctx.strokeStyle = '#ffffff';
        ctx.setLineDash([3 * dpr, 2 * dpr]);
        ctx.strokeRect(Math.round(at.x) * sx, Math.round(at.y) * sy, sx, sy);
        ctx.setLineDash([]);
      }
    }
  }, [hover, kb, kbVisible, anchor, cursorRadius, width, height]);

  const toGrid = useCallback(
    (e: { clientX: number; clientY: number }): Point => {
      const rect = wrapRef.current!.getBoundingClientRect();
      return {
        x: ((e.clientX - rect.left) / rect.width) * width - 0.5,
        y: ((e.clientY - rect.top) / rect.height) * height - 0.5,
      };
    },
    [width, height],
  );

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'pen' && !penSeen) {
      penSeen = true;
      // Marks every editor canvas, for tests and debugging.
      for (const el of document.querySelectorAll('.mask-canvas')) el.setAttribute('data-pen-seen', 'true');
    }
    if (rejectsPointer(e.pointerType, penSeen)) return;
    if (e.button !== 0 || pressed.current !== null) return;
    e.preventDefault();
    if (picksPixel(e)) {
      // Per-pixel curves: this click chooses their pixel and draws nothing.
      const p = clampPoint(toGrid(e), width, height);
      usePixelCurves.getState().pickFromEditor(Math.round(p.x), Math.round(p.y));
      return;
    }
    wrapRef.current?.focus({ preventScroll: true });
    try {
      e.currentTarget.setPointerCapture(e.pointerId);
    } catch {
      // A pointer the browser no longer tracks (or a synthetic event): draw without capture.
    }
    pressed.current = e.pointerId;
    setKbVisible(false);
    const p = toGrid(e);
    setHover(p);
    handlers.down(p, e.pressure);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (rejectsPointer(e.pointerType, penSeen)) return;
    const p = toGrid(e);
    setHover(p);
    if (pressed.current !== e.pointerId) return;
    const native = e.nativeEvent;
    const events = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    handlers.move(events.length > 0 ? events.map((ev) => toGrid(ev)) : [p], e.pressure);
  };
  const finish = (e: PointerEvent<HTMLDivElement>) => {
    if (pressed.current !== e.pointerId) return;
    pressed.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    handlers.up(toGrid(e));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 8 : 1;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const mv = moves[e.key];
    if (mv) {
      e.preventDefault();
      setKbVisible(true);
      setKb((k) => clampPoint({ x: Math.round(k.x) + mv[0], y: Math.round(k.y) + mv[1] }, width, height));
      return;
    }
    if (e.key === 'Escape') {
      handlers.cancel?.();
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      setKbVisible(true);
      handlers.key(kb);
    }
  };

  return (
    <div
      ref={wrapRef}
      className={`mask-canvas${dragOver ? ' drag-over' : ''}`}
      style={{ aspectRatio: `${width} / ${height}`, ...(picking ? { cursor: 'crosshair' } : {}) }}
      role="application"
      aria-label={props.label}
      aria-roledescription="drawing canvas"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard-driven drawing surface (role application)
      tabIndex={0}
      data-testid={props.testId}
      data-grid-width={width}
      data-grid-height={height}
      data-pen-seen={penSeen ? 'true' : undefined}
      data-picking={picking ? 'true' : undefined}
      {...Object.fromEntries(Object.entries(props.dataAttrs ?? {}).map(([k, v]) => [`data-${k}`, String(v)]))}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={finish}
      onPointerCancel={finish}
      onPointerLeave={() => pressed.current === null && setHover(null)}
      onKeyDown={onKeyDown}
      onFocus={(e) => e.currentTarget.matches(':focus-visible') && setKbVisible(true)}
      onBlur={() => setKbVisible(false)}
      onDragOver={(e) => {
        if (!props.onDropFile) return;
        e.preventDefault();
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={(e) => {
        if (!props.onDropFile) return;
        e.preventDefault();
        setDragOver(false);
        const f = e.dataTransfer.files[0];
        if (f) props.onDropFile(f);
      }}
    >
      {props.underlayUrl && (
        <img className="layer underlay" src={props.underlayUrl} alt="" style={{ opacity: props.underlayOpacity }} />
      )}
      <canvas ref={maskRef} className="layer mask" />
      <canvas ref={overlayRef} className="layer overlay" />
    </div>
  );
}

// The masks slice of the zustand store (owned by the editors work): ground truth + prediction, bounded undo/redo
// with one entry per gesture, editor tool settings and the underlay image.
//
// Invariants the rest of the app relies on:
// - `target` / `logits` are replaced (never mutated) on every edit;
// - `targetVersion` is bumped whenever target, grid size or number of classes change (ground-truth caches key on it);
// - `predictionVersion` is bumped whenever `logits` change.
import type { StateCreator } from 'zustand';
import { exampleMasks } from '../editing/example';
import { type GridSize, type Masks, squareGridSize } from '../editing/grid';
import { emptyHistory, type History, pushHistory, redoHistory, type Snapshot, undoHistory } from '../editing/history';
import { clipLabels, dilateLabels, erodeLabels, shiftLabels } from '../editing/labels';
import { MAX_CLASSES, MIN_CLASSES } from '../editing/palette';
import {
  addLogitNoise,
  blurredLogits,
  emptyLogits,
  perfectLogits,
  resizeClasses,
  temperatureScale,
} from '../editing/prediction';
import { resampleLabelsNearest, resampleLogits } from '../editing/resample';
import type { AppState } from './index';
import { DEFAULT_GRID } from './settings';
import { defaultTools } from './tools';

export interface MasksState {
  width: number;
  height: number;
  numClasses: number;
  /** Ground-truth class index per pixel, row-major H×W. Replaced (never mutated) on every edit. */
  target: Int32Array;
  /** Prediction as logits, row-major H×W×C (channels last). Replaced (never mutated) on every edit. */
  logits: Float32Array;
  /** Bumped whenever `target` changes (keys the ground-truth cache). */
  targetVersion: number;
  /** Bumped whenever `logits` change. */
  predictionVersion: number;
}

export type GtTool = 'brush' | 'eraser' | 'fill' | 'disc' | 'rect';

export interface PredBrushSettings {
  cls: number;
  radius: number;
  strength: number;
  mode: 'raise' | 'lower';
}

export interface DeriveSettings {
  confidence: number;
  dx: number;
  dy: number;
  sigma: number;
  temperature: number;
  morphRadius: number;
  noiseSigma: number;
  noiseSeed: number;
}

export type Derivation = 'perfect' | 'empty' | 'shift' | 'blur' | 'erode' | 'dilate' | 'temperature' | 'noise';

export interface Underlay {
  url: string;
  name: string;
  /** The image's size in pixels, where known: the editors drop an underlay that no longer fits the grid. */
  width?: number;
  height?: number;
}

export interface MasksSlice extends MasksState {
  history: History;
  /** The state before the gesture in progress (null when none): one history entry per gesture. */
  gestureBase: Snapshot | null;
  /** Optional class names (presets provide them). */
  classNames: string[] | null;
  /** Name of the last loaded preset/upload, for the status line. */
  source: string;
  tool: GtTool;
  activeClass: number;
  brushSize: number;
  predBrush: PredBrushSettings;
  /** Scale brush size / soft-brush strength by pen pressure (opt-in, saved with the session). */
  penPressure: boolean;
  derive: DeriveSettings;
  underlay: Underlay | null;
  underlayOpacity: number;

  /** Starts a gesture: edits until endGesture() form one undo entry. */
  beginGesture(): void;
  endGesture(): void;
  /** Replaces the ground truth (one undo entry unless inside a gesture). */
  setTarget(target: Int32Array): void;
  /** Replaces the prediction logits (one undo entry unless inside a gesture). */
  setLogits(logits: Float32Array): void;
  /** Replaces everything (preset, upload): one undo entry. */
  loadMasks(m: Masks, meta?: { source?: string; classNames?: string[] | null }): void;
  undo(): void;
  redo(): void;
  clearHistory(): void;
  /** Resamples to a square grid (labels nearest; probabilities area/bilinear). One undo entry. */
  setGridSize(size: number): void;
  /** 2..8 classes: removed classes' labels become background; new classes start at low probability. */
  setNumClasses(c: number): void;
  derivePrediction(kind: Derivation): void;
  setTool(tool: GtTool): void;
  setActiveClass(c: number): void;
  setBrushSize(r: number): void;
  setPredBrush(p: Partial<PredBrushSettings>): void;
  setPenPressure(on: boolean): void;
  setDerive(p: Partial<DeriveSettings>): void;
  setUnderlay(u: Underlay | null): void;
  setUnderlayOpacity(o: number): void;
}

export const BRUSH_MIN = 0;
export const BRUSH_MAX = 32;

function snapshot(s: MasksState): Snapshot {
  return { width: s.width, height: s.height, numClasses: s.numClasses, target: s.target, logits: s.logits };
}

/** The state change that installs `m`, bumping the versions of what changed. */
function install(s: MasksState, m: Snapshot): Partial<MasksState> {
  const targetChanged =
    m.target !== s.target || m.numClasses !== s.numClasses || m.width !== s.width || m.height !== s.height;
  return {
    width: m.width,
    height: m.height,
    numClasses: m.numClasses,
    target: m.target,
    logits: m.logits,
    targetVersion: targetChanged ? s.targetVersion + 1 : s.targetVersion,
    predictionVersion: m.logits !== s.logits ? s.predictionVersion + 1 : s.predictionVersion,
  };
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(v)));
}

export const createMasksSlice: StateCreator<AppState, [], [], MasksSlice> = (set, get) => {
  /** Undo or redo (not during a gesture): installs the snapshot the history step returns. */
  const travel = (step: typeof undoHistory) => {
    const s = get();
    if (s.gestureBase) return;
    const r = step(s.history, snapshot(s));
    if (!r) return;
    set({
      ...install(s, r.snapshot),
      history: r.history,
      heatmapClass: Math.min(s.heatmapClass, r.snapshot.numClasses - 1),
      gridSize: squareGridSize(r.snapshot.width, r.snapshot.height) ?? s.gridSize,
    });
  };
  /** Applies a new snapshot as one undo entry (or as part of the running gesture). */
  const apply = (next: Snapshot, extra: Partial<AppState> = {}) => {
    const s = get();
    const cur = snapshot(s);
    if (
      next.target === cur.target &&
      next.logits === cur.logits &&
      next.numClasses === cur.numClasses &&
      next.width === cur.width
    ) {
      if (Object.keys(extra).length) set(extra);
      return;
    }
    const history = s.gestureBase ? s.history : pushHistory(s.history, cur);
    const heatmapClass = Math.min(s.heatmapClass, next.numClasses - 1);
    set({ ...install(s, next), history, heatmapClass, ...extra });
  };

  const initial = exampleMasks(DEFAULT_GRID);
  return {
    ...initial,
    targetVersion: 1,
    predictionVersion: 1,
    history: emptyHistory,
    gestureBase: null,
    classNames: null,
    source: 'Built-in example',
    ...defaultTools(),
    activeClass: 1,
    derive: {
      confidence: 0.9,
      dx: 4,
      dy: 2,
      sigma: 2,
      temperature: 2,
      morphRadius: 2,
      noiseSigma: 1,
      noiseSeed: 1,
    },
    underlay: null,
    underlayOpacity: 0.5,

    beginGesture: () => {
      const s = get();
      if (!s.gestureBase) set({ gestureBase: snapshot(s) });
    },
    endGesture: () => {
      const s = get();
      const base = s.gestureBase;
      if (!base) return;
      const changed = base.target !== s.target || base.logits !== s.logits || base.numClasses !== s.numClasses;
      set({ gestureBase: null, history: changed ? pushHistory(s.history, base) : s.history });
    },
    setTarget: (target) => {
      const s = get();
      if (target.length !== s.width * s.height) throw new Error('setTarget: wrong size');
      apply({ ...snapshot(s), target });
    },
    setLogits: (logits) => {
      const s = get();
      if (logits.length !== s.width * s.height * s.numClasses) throw new Error('setLogits: wrong size');
      apply({ ...snapshot(s), logits });
    },
    loadMasks: (m, meta = {}) => {
      const s = get();
      if (s.gestureBase) get().endGesture();
      const gridSize = squareGridSize(m.width, m.height) ?? s.gridSize;
      apply(m, {
        source: meta.source ?? 'Upload',
        classNames: meta.classNames ?? null,
        gridSize,
        activeClass: Math.min(s.activeClass, m.numClasses - 1),
        predBrush: { ...s.predBrush, cls: Math.min(s.predBrush.cls, m.numClasses - 1) },
      });
    },
    undo: () => travel(undoHistory),
    redo: () => travel(redoHistory),
    clearHistory: () => set({ history: emptyHistory, gestureBase: null }),
    setGridSize: (size) => {
      const s = get();
      // The long side becomes `size`; a non-square (uploaded) grid keeps its aspect ratio instead of being
      // stretched to a square.
      const scale = size / Math.max(s.width, s.height);
      const to = { width: Math.max(1, Math.round(s.width * scale)), height: Math.max(1, Math.round(s.height * scale)) };
      if (s.width === to.width && s.height === to.height) {
        set({ gridSize: size as GridSize });
        return;
      }
      const from = { width: s.width, height: s.height };
      apply(
        {
          width: to.width,
          height: to.height,
          numClasses: s.numClasses,
          target: resampleLabelsNearest(s.target, from, to),
          logits: resampleLogits(s.logits, from, to, s.numClasses),
        },
        { gridSize: size as GridSize },
      );
    },
    setNumClasses: (c) => {
      const s = get();
      const n = clampInt(c, MIN_CLASSES, MAX_CLASSES);
      if (n === s.numClasses) return;
      apply(
        {
          ...snapshot(s),
          numClasses: n,
          target: clipLabels(s.target, n),
          logits: resizeClasses(s.logits, s.numClasses, n),
        },
        {
          activeClass: Math.min(s.activeClass, n - 1),
          predBrush: { ...s.predBrush, cls: Math.min(s.predBrush.cls, n - 1) },
        },
      );
    },
    derivePrediction: (kind) => {
      const s = get();
      const d = s.derive;
      const g = { width: s.width, height: s.height };
      const C = s.numClasses;
      let logits: Float32Array;
      switch (kind) {
        case 'perfect':
          logits = perfectLogits(s.target, C, d.confidence);
          break;
        case 'empty':
          logits = emptyLogits(s.target.length, C, d.confidence);
          break;
        case 'shift':
          logits = perfectLogits(shiftLabels(s.target, g, d.dx, d.dy), C, d.confidence);
          break;
        case 'blur':
          logits = blurredLogits(s.target, g, C, d.sigma, d.confidence);
          break;
        case 'erode':
          logits = perfectLogits(erodeLabels(s.target, g, d.morphRadius), C, d.confidence);
          break;
        case 'dilate':
          logits = perfectLogits(dilateLabels(s.target, g, d.morphRadius), C, d.confidence);
          break;
        case 'temperature':
          logits = temperatureScale(s.logits, d.temperature);
          break;
        case 'noise':
          logits = addLogitNoise(s.logits, d.noiseSigma, d.noiseSeed);
          set({ derive: { ...d, noiseSeed: d.noiseSeed + 1 } });
          break;
      }
      apply({ ...snapshot(get()), logits });
    },
    setTool: (tool) => set({ tool }),
    setActiveClass: (c) => set((s) => ({ activeClass: clampInt(c, 0, s.numClasses - 1) })),
    setBrushSize: (r) => set({ brushSize: clampInt(r, BRUSH_MIN, BRUSH_MAX) }),
    setPredBrush: (p) => set((s) => ({ predBrush: { ...s.predBrush, ...p } })),
    setPenPressure: (on) => set({ penPressure: on }),
    setDerive: (p) => set((s) => ({ derive: { ...s.derive, ...p } })),
    setUnderlay: (u) => {
      const old = get().underlay;
      if (old && old.url !== u?.url && old.url.startsWith('blob:')) URL.revokeObjectURL(old.url);
      set({ underlay: u });
    },
    setUnderlayOpacity: (o) => set({ underlayOpacity: Math.max(0, Math.min(1, o)) }),
  };
};

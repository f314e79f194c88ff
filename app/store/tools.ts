// Editor tool settings that survive a reload (saved with the session): the ground-truth tool and brush/stamp
// size (the disc stamp uses the brush size), the prediction brush and the pen-pressure toggle.
import type { GtTool, PredBrushSettings } from './masks';

export interface ToolSettings {
  tool: GtTool;
  /** Brush, eraser and disc-stamp radius in grid pixels. */
  brushSize: number;
  predBrush: PredBrushSettings;
  /** Scale brush size / soft-brush strength by pen pressure (opt-in). */
  penPressure: boolean;
}

export const GT_TOOLS: readonly GtTool[] = ['brush', 'eraser', 'fill', 'disc', 'rect'];
export const PRED_RADIUS_MIN = 1;
export const PRED_RADIUS_MAX = 40;
export const PRED_STRENGTH_MIN = 0.05;
export const PRED_STRENGTH_MAX = 1;

export function defaultTools(): ToolSettings {
  return {
    tool: 'brush',
    brushSize: 3,
    predBrush: { cls: 1, radius: 8, strength: 0.5, mode: 'raise' },
    penPressure: false,
  };
}

function num(v: unknown, lo: number, hi: number, fallback: number, integer: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  const c = Math.max(lo, Math.min(hi, v));
  return integer ? Math.round(c) : c;
}

/**
 * Tool settings from untrusted saved data: each field that is missing or invalid falls back to its default
 * (a bad tool setting is not worth discarding the masks for); numbers are clamped to the controls' ranges.
 */
export function sanitizeTools(raw: unknown, numClasses: number, brushMax: number): ToolSettings {
  const d = defaultTools();
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const pb = (typeof r.predBrush === 'object' && r.predBrush !== null ? r.predBrush : {}) as Record<string, unknown>;
  return {
    tool: GT_TOOLS.includes(r.tool as GtTool) ? (r.tool as GtTool) : d.tool,
    brushSize: num(r.brushSize, 0, brushMax, d.brushSize, true),
    predBrush: {
      cls: num(pb.cls, 0, numClasses - 1, Math.min(d.predBrush.cls, numClasses - 1), true),
      radius: num(pb.radius, PRED_RADIUS_MIN, PRED_RADIUS_MAX, d.predBrush.radius, true),
      strength: num(pb.strength, PRED_STRENGTH_MIN, PRED_STRENGTH_MAX, d.predBrush.strength, false),
      mode: pb.mode === 'lower' || pb.mode === 'raise' ? pb.mode : d.predBrush.mode,
    },
    penPressure: typeof r.penPressure === 'boolean' ? r.penPressure : d.penPressure,
  };
}

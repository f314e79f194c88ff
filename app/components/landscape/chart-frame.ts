// Plot geometry shared by the landscape charts (SVG user units; the SVG scales to its container).
export const FRAME = { width: 560, height: 320, left: 64, right: 16, top: 14, bottom: 46 } as const;
export const SQUARE = { width: 560, height: 460, left: 64, right: 96, top: 14, bottom: 46 } as const;

export type Frame = { width: number; height: number; left: number; right: number; top: number; bottom: number };

export function inner(f: Frame) {
  return { x0: f.left, x1: f.width - f.right, y0: f.height - f.bottom, y1: f.top };
}

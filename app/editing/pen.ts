// Pen input helpers (pure): pressure scaling for the brushes and the palm-rejection rule.

/**
 * Pointer pressure in (0, 1]. Pointer Events report 0 for hardware without pressure when no button is pressed
 * and 0.5 when one is; we treat 0, missing or non-finite pressure as 0.5 so a pressure-less device paints at
 * half strength rather than not at all.
 */
export function effectivePressure(pressure: number | undefined): number {
  if (pressure === undefined || !Number.isFinite(pressure) || pressure <= 0) return 0.5;
  return Math.min(1, pressure);
}

/** Brush radius scaled by pressure (full pressure = the set size), rounded to whole grid pixels. */
export function pressureBrushSize(size: number, pressure: number | undefined, enabled: boolean): number {
  if (!enabled) return size;
  return Math.max(0, Math.round(size * effectivePressure(pressure)));
}

/** Soft-brush strength scaled by pressure (full pressure = the set strength). */
export function pressureStrength(strength: number, pressure: number | undefined, enabled: boolean): number {
  if (!enabled) return strength;
  return strength * effectivePressure(pressure);
}

/**
 * Palm rejection: once a pen has touched a canvas, touch pointers are ignored until the page reloads (a resting
 * palm or knuckle would otherwise paint). Mouse input is never rejected.
 */
export function rejectsPointer(pointerType: string, penSeen: boolean): boolean {
  return penSeen && pointerType === 'touch';
}

/**
 * Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"): eight colours that stay distinguishable for the
 * common forms of colour-vision deficiency. Class 0 (background) is black so that a probability map reads as
 * "brighter = more foreground"; classes 1..7 follow the palette's usual order.
 */
export const MAX_CLASSES = 8;
export const MIN_CLASSES = 2;

export const PALETTE: readonly { name: string; hex: string; rgb: readonly [number, number, number] }[] = [
  { name: 'black', hex: '#000000', rgb: [0, 0, 0] },
  { name: 'orange', hex: '#E69F00', rgb: [230, 159, 0] },
  { name: 'sky blue', hex: '#56B4E9', rgb: [86, 180, 233] },
  { name: 'bluish green', hex: '#009E73', rgb: [0, 158, 115] },
  { name: 'yellow', hex: '#F0E442', rgb: [240, 228, 66] },
  { name: 'blue', hex: '#0072B2', rgb: [0, 114, 178] },
  { name: 'vermillion', hex: '#D55E00', rgb: [213, 94, 0] },
  { name: 'reddish purple', hex: '#CC79A7', rgb: [204, 121, 167] },
];

export function classColor(k: number): readonly [number, number, number] {
  return (PALETTE[k] ?? PALETTE[0]!).rgb;
}

export function defaultClassName(k: number): string {
  return k === 0 ? 'background' : `class ${k}`;
}

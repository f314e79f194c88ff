/**
 * Preset data files (public/presets/*.json) and their loader. A preset holds the grid size, the classes, the
 * ground-truth labels (run-length or base64) and the prediction as a recipe over the ground truth or as logits.
 */
import { decodeFloat32, decodeLabels, type EncodedFloats, type EncodedLabels } from '../editing/encoding';
import type { Masks } from '../editing/grid';
import { MAX_CLASSES, MIN_CLASSES } from '../editing/palette';
import { applyRecipe, type RecipeStep } from '../editing/recipe';

export const PRESET_FORMAT = 'segloss-preset@1';

export interface PresetFile {
  format: typeof PRESET_FORMAT;
  id: string;
  name: string;
  description: string;
  width: number;
  height: number;
  numClasses: number;
  classNames?: string[];
  target: EncodedLabels;
  prediction: { recipe: RecipeStep[] } | { logits: EncodedFloats };
}

export interface PresetIndexEntry {
  id: string;
  name: string;
  description: string;
  file: string;
}

export interface LoadedPreset {
  id: string;
  name: string;
  description: string;
  classNames?: string[];
  masks: Masks;
}

export function parsePreset(json: unknown): LoadedPreset {
  const p = json as PresetFile;
  if (!p || typeof p !== 'object' || p.format !== PRESET_FORMAT) throw new Error(`not a ${PRESET_FORMAT} file`);
  const { width, height, numClasses } = p;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 512 || height > 512) {
    throw new Error(`preset ${p.id}: bad size ${width}×${height}`);
  }
  if (!Number.isInteger(numClasses) || numClasses < MIN_CLASSES || numClasses > MAX_CLASSES) {
    throw new Error(`preset ${p.id}: bad number of classes ${numClasses}`);
  }
  const n = width * height;
  const target = decodeLabels(p.target, n);
  for (let i = 0; i < n; i++) {
    if (target[i]! < 0 || target[i]! >= numClasses) throw new Error(`preset ${p.id}: label ${target[i]} out of range`);
  }
  const logits =
    'logits' in p.prediction
      ? decodeFloat32(p.prediction.logits, n * numClasses)
      : applyRecipe(target, { width, height }, numClasses, p.prediction.recipe);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    classNames: p.classNames,
    masks: { width, height, numClasses, target, logits },
  };
}

/** Browser loader: the index, then one preset by file name (relative to the page, so any base path works). */
export async function fetchPresetIndex(base = './presets/'): Promise<PresetIndexEntry[]> {
  const r = await fetch(`${base}index.json`);
  if (!r.ok) throw new Error(`presets index: HTTP ${r.status}`);
  return (await r.json()) as PresetIndexEntry[];
}

export async function fetchPreset(file: string, base = './presets/'): Promise<LoadedPreset> {
  const r = await fetch(`${base}${file}`);
  if (!r.ok) throw new Error(`preset ${file}: HTTP ${r.status}`);
  return parsePreset(await r.json());
}

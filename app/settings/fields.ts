// The explorer's settings as one declarative table (in the spirit of TF Playground's PROPS): for each field,
// how a saved session's value is checked and how a share link writes and reads it. The saved session
// (app/persist/), the share link (app/share/) and the store's `applySettings` all take their fields from here,
// so a new setting is one entry, not two hand-written copies that drift apart.
//
// Saved sessions keep every field under its store name (schema v2, unchanged); links use short keys (#share=v1,
// unchanged): loss, grid, p, off, hm, hc, cmp. The backend choice is saved but never shared.
import { defaultParams, getLoss, IMPLEMENTED_LOSSES, isLossId, LOSSES, type LossId, type Params } from '../../src';
import { BACKENDS } from '../backend/select';
import { type GridSize, isGridSize } from '../editing/grid';
import { errorMessage, quote } from '../messages';
import type { BackendChoice, HeatmapMode, SettingsValues } from '../store/settings';
import { validateParamsRecord } from './validate-params';

/** A field's value is bad: the message says why (callers wrap it in their own error type). */
export class FieldError extends Error {}

function fail(msg: string): never {
  throw new FieldError(msg);
}

/** The settings a share link carries (the masks travel beside them). */
export interface SharedSettings {
  focusedLoss: LossId;
  /** Per loss, only the parameters that differ from their defaults. */
  params: Partial<Record<LossId, Params>>;
  gridSize: GridSize;
  /** Losses switched off in the table (every other loss is on). */
  disabled: LossId[];
  heatmapMode: HeatmapMode;
  heatmapClass: number;
  multiples: LossId[];
}

/** What reading a field may depend on: the class count (of the link's or the session's masks). */
export interface FieldContext {
  numClasses: number;
}

interface LinkCodec<K extends keyof SharedSettings> {
  /** The key in the hash. */
  key: string;
  /** The field of SharedSettings it carries. */
  field: K;
  /** Read after the masks (needs their class count). */
  afterMasks?: boolean;
  /** The text written, or undefined to leave the key out. */
  write(value: SharedSettings[K]): string | undefined;
  /** The value read back (`text` is undefined when the key is absent); throws FieldError. */
  read(text: string | undefined, ctx: FieldContext): SharedSettings[K];
}

export interface SettingField<K extends keyof SettingsValues> {
  /** The store's (and the saved session's) name of the field. */
  name: K;
  /** A saved session's value, checked; throws FieldError. */
  fromSaved(value: unknown, ctx: FieldContext): SettingsValues[K];
  /** How a share link carries it; absent for a field that is not shared. */
  link?: LinkCodec<keyof SharedSettings>;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Keeps, per loss, only the parameters that differ from the loss's defaults (drops empty entries). */
export function nonDefaultParams(params: Partial<Record<LossId, Params>>): Partial<Record<LossId, Params>> {
  const out: Partial<Record<LossId, Params>> = {};
  for (const [id, given] of Object.entries(params)) {
    if (!isLossId(id) || !given) continue;
    const defaults = defaultParams(getLoss(id).params);
    const diff = Object.fromEntries(Object.entries(given).filter(([k, v]) => !sameValue(v, defaults[k])));
    if (Object.keys(diff).length) out[id] = diff;
  }
  return out;
}

/** Every loss switched off in `enabled`, in taxonomy order. */
export function disabledLosses(enabled: Partial<Record<LossId, boolean>>): LossId[] {
  return LOSSES.filter((d) => enabled[d.id] === false).map((d) => d.id);
}

/** The `enabled` map of a link's `disabled` list: every implemented loss on unless listed. */
export function enabledFromDisabled(disabled: readonly LossId[]): Partial<Record<LossId, boolean>> {
  return Object.fromEntries(IMPLEMENTED_LOSSES.map((d) => [d.id, !disabled.includes(d.id)]));
}

function idList(ids: readonly LossId[]): string {
  return ids.join('.');
}

function parseIdList(text: string | undefined, what: string): LossId[] {
  if (!text) return [];
  return text.split('.').map((id) => (isLossId(id) ? id : fail(`${what} names an unknown loss ${quote(id)}`)));
}

/** A whole number in lo..hi written in decimal; throws FieldError naming `what`. */
export function parseInt10(text: string, what: string, lo: number, hi: number): number {
  if (!/^\d{1,9}$/.test(text)) fail(`${what} ${quote(text)} is not a whole number`);
  const n = Number(text);
  if (n < lo || n > hi) fail(`${what} ${n} is outside ${lo}–${hi}`);
  return n;
}

function parseLinkParams(text: string | undefined, numClasses: number): Partial<Record<LossId, Params>> {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail('the parameters (p=) are not valid JSON (truncated?)');
  }
  try {
    return validateParamsRecord(raw, numClasses);
  } catch (e) {
    return fail(errorMessage(e).replace(/^the parameters are/, 'the parameters (p=) are'));
  }
}

/** Builds a field entry with its types checked (the table itself holds them loosely typed). */
function field<K extends keyof SettingsValues, L extends keyof SharedSettings = never>(f: {
  name: K;
  fromSaved(value: unknown, ctx: FieldContext): SettingsValues[K];
  link?: LinkCodec<L>;
}): SettingField<K> {
  return f as SettingField<K>;
}

/** The settings, in link order (loss, grid, p, off, hm, hc, cmp); saved sessions check them in this order too. */
export const SETTING_FIELDS = [
  field({
    name: 'focusedLoss',
    fromSaved: (v) => (typeof v === 'string' && isLossId(v) ? v : fail(`unknown focused loss ${quote(v)}`)),
    link: {
      key: 'loss',
      field: 'focusedLoss',
      write: (id) => id,
      read: (text) => {
        const loss = text ?? fail('the link names no loss (loss=)');
        return isLossId(loss) ? loss : fail(`unknown loss id ${quote(loss)}`);
      },
    },
  }),
  field({
    name: 'gridSize',
    fromSaved: (v) => (isGridSize(v) ? v : fail('grid size is invalid')),
    link: {
      key: 'grid',
      field: 'gridSize',
      write: (size) => String(size),
      read: (text) => {
        const grid = Number(text);
        return isGridSize(grid) ? grid : fail(`grid size ${quote(text ?? '')} is not 64, 128 or 256`);
      },
    },
  }),
  field({
    name: 'params',
    fromSaved: (v, { numClasses }) => {
      if (typeof v !== 'object' || v === null) fail('params are invalid');
      // Validated like a share link's (entries of losses this build does not know are dropped first).
      const known = Object.fromEntries(Object.entries(v).filter(([id]) => isLossId(id)));
      try {
        return validateParamsRecord(known, numClasses);
      } catch (e) {
        return fail(errorMessage(e));
      }
    },
    link: {
      key: 'p',
      field: 'params',
      afterMasks: true,
      write: (params) => {
        const changed = nonDefaultParams(params);
        return Object.keys(changed).length ? JSON.stringify(changed) : undefined;
      },
      read: (text, { numClasses }) => parseLinkParams(text, numClasses),
    },
  }),
  field({
    name: 'enabled',
    fromSaved: (v) => {
      if (typeof v !== 'object' || v === null) fail('enabled is invalid');
      return v as SettingsValues['enabled'];
    },
    link: {
      key: 'off',
      field: 'disabled',
      afterMasks: true,
      write: (ids) => (ids.length ? idList(ids) : undefined),
      read: (text) => parseIdList(text, 'the list of switched-off losses'),
    },
  }),
  field({
    name: 'heatmapMode',
    fromSaved: (v) => (v === 'logit' || v === 'probability' ? v : fail('heatmap mode is invalid')),
    link: {
      key: 'hm',
      field: 'heatmapMode',
      afterMasks: true,
      write: (mode) => mode,
      read: (text) => {
        const mode = text ?? 'logit';
        return mode === 'logit' || mode === 'probability'
          ? mode
          : fail(`heatmap mode ${quote(text)} is not logit or probability`);
      },
    },
  }),
  field({
    name: 'heatmapClass',
    // Clamped to the masks' classes when the session is applied.
    fromSaved: (v) => v as number,
    link: {
      key: 'hc',
      field: 'heatmapClass',
      afterMasks: true,
      write: (c) => String(c),
      read: (text, { numClasses }) => (text === undefined ? 1 : parseInt10(text, 'heatmap class', 0, numClasses - 1)),
    },
  }),
  field({
    name: 'multiples',
    fromSaved: (v) =>
      Array.isArray(v) && v.every((id) => typeof id === 'string' && isLossId(id)) ? v : fail('multiples are invalid'),
    link: {
      key: 'cmp',
      field: 'multiples',
      afterMasks: true,
      write: (ids) => idList(ids),
      read: (text) => parseIdList(text, 'the comparison list'),
    },
  }),
  field({
    name: 'backendChoice',
    fromSaved: (v) =>
      v === 'auto' || (BACKENDS as readonly unknown[]).includes(v) ? (v as BackendChoice) : fail('backend is invalid'),
  }),
] as const;

export type SettingName = (typeof SETTING_FIELDS)[number]['name'];

/** The settings fields of a state (the store, for saving). */
export function pickSettings(s: SettingsValues): SettingsValues {
  return Object.fromEntries(SETTING_FIELDS.map((f) => [f.name, s[f.name]])) as SettingsValues;
}

/** Whether any settings field differs between two states (autosave). */
export function settingsChanged(a: SettingsValues, b: SettingsValues): boolean {
  return SETTING_FIELDS.some((f) => a[f.name] !== b[f.name]);
}

/**
 * A saved session's settings, each field checked in table order; throws FieldError with the first reason. Only
 * the table's fields come back (a key the table does not know never reaches the store).
 */
export function settingsFromSaved(raw: Record<string, unknown>, ctx: FieldContext): SettingsValues {
  const out: Record<string, unknown> = {};
  for (const f of SETTING_FIELDS) out[f.name] = f.fromSaved(raw[f.name], ctx);
  return out as SettingsValues;
}

/** The share link's settings of a state. */
export function sharedSettingsOf(s: SettingsValues): SharedSettings {
  return {
    focusedLoss: s.focusedLoss,
    params: s.params,
    gridSize: s.gridSize,
    disabled: disabledLosses(s.enabled),
    heatmapMode: s.heatmapMode,
    heatmapClass: s.heatmapClass,
    multiples: s.multiples,
  };
}

const LINK_CODECS = SETTING_FIELDS.flatMap((f) => ('link' in f && f.link ? [f.link] : []));

/** Writes the shared settings into `q` in table order. */
export function writeLinkSettings(q: URLSearchParams, s: SharedSettings): void {
  for (const c of LINK_CODECS) {
    const text = c.write(s[c.field] as never);
    if (text !== undefined) q.set(c.key, text);
  }
}

/**
 * Reads the link fields of one phase (before the masks, or after them with their class count) from the
 * hash's record; throws FieldError with the first reason.
 */
export function readLinkSettings(
  rec: Record<string, string>,
  phase: 'before-masks' | 'after-masks',
  ctx: FieldContext,
): Partial<SharedSettings> {
  const out: Record<string, unknown> = {};
  for (const c of LINK_CODECS)
    if ((c.afterMasks === true) === (phase === 'after-masks')) out[c.field] = c.read(rec[c.key], ctx);
  return out as Partial<SharedSettings>;
}

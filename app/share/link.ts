// Shareable links: the explorer state in the URL hash, versioned like the saved session (app/persist/schema.ts).
//
//   #share=v1&loss=dice&grid=64&p={"dice":{"smoothNr":0.01}}&off=topk.rmi&hm=logit&hc=1&cmp=dice.iou
//            &size=64x64x2&gt=<base64url deflate-raw RLE labels>&pred=<base64url deflate-raw 8-bit probs>&end=1
//
// `p` holds only the parameters that differ from their defaults; `off` the losses switched off; `cmp` the small
// multiples; `size`/`gt`/`pred` are all present or all absent (a link without masks). `end=1` comes last so
// that a truncated link is recognised as such. Decoding validates everything and throws a ShareLinkError whose
// message says what is wrong; the caller shows it and changes nothing. Pure: no DOM, no store.
import {
  defaultParams,
  getLoss,
  isLossId,
  LOSSES,
  type LossId,
  ParamError,
  type Params,
  resolveParams,
} from '../../src';
import type { Masks } from '../editing/grid';
import { MAX_CLASSES, MIN_CLASSES } from '../editing/palette';
import { GRID_SIZES, type GridSize, type HeatmapMode } from '../store/settings';
import { deflateRaw, fromBase64Url, inflateRaw, toBase64Url } from './bytes';
import {
  decodeLabelRuns,
  encodeLabelRuns,
  logitsFromQuantised,
  MaskCodecError,
  packPrediction,
  quantiseLogits,
  unpackPrediction,
} from './masks-codec';

export const SHARE_KEY = 'share';
export const CURRENT_LINK_VERSION = 1;
/** Longest link offered with masks (characters of the whole URL); longer ones are offered without masks. */
export const MAX_LINK_LENGTH = 60_000;
/** Largest mask side a link may carry (uploads are at most 512 px a side unless the user declines downsampling). */
export const MAX_LINK_SIDE = 4096;

export interface ShareState {
  focusedLoss: LossId;
  /** Per loss, only the parameters that differ from their defaults. */
  params: Partial<Record<LossId, Params>>;
  gridSize: GridSize;
  /** Losses switched off in the table (every other loss is on). */
  disabled: LossId[];
  heatmapMode: HeatmapMode;
  heatmapClass: number;
  multiples: LossId[];
  /** The masks, or null for a link that carries settings only. */
  masks: Masks | null;
}

export class ShareLinkError extends Error {}

/** The hash's key=value pairs after migration to the current version. */
export type LinkRecord = Record<string, string>;
/** LINK_MIGRATIONS[v] turns a version-v record into version v + 1 (keep every old step). */
export type LinkMigration = (old: LinkRecord) => LinkRecord;
export const LINK_MIGRATIONS: Record<number, LinkMigration> = {
  // 1 → 2 goes here when the link format changes.
};

export function isShareHash(hash: string): boolean {
  return hash.startsWith(`#${SHARE_KEY}=`);
}

function fail(msg: string): never {
  throw new ShareLinkError(msg);
}

export function migrateLink(
  rec: LinkRecord,
  migrations: Record<number, LinkMigration> = LINK_MIGRATIONS,
  current: number = CURRENT_LINK_VERSION,
): LinkRecord {
  const m = /^v(\d{1,6})$/.exec(rec[SHARE_KEY] ?? '');
  if (!m) fail(`the link's version '${rec[SHARE_KEY] ?? ''}' is not of the form v1, v2 …`);
  let v = Number(m[1]);
  if (v < 1) fail(`the link's version v${v} does not exist`);
  if (v > current)
    fail(`the link was made by a newer version of the explorer (link format v${v}; this one reads up to v${current})`);
  let out = rec;
  while (v < current) {
    const step = migrations[v];
    if (!step) fail(`no migration from link format v${v}`);
    out = { ...step(out), [SHARE_KEY]: `v${v + 1}` };
    v++;
  }
  return out;
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

function idList(ids: readonly LossId[]): string {
  return ids.join('.');
}

/** The hash (starting with '#share=') for `state`; `withMasks: false` leaves the masks out. */
export async function encodeShareHash(state: ShareState, withMasks = true): Promise<string> {
  const q = new URLSearchParams();
  q.set(SHARE_KEY, `v${CURRENT_LINK_VERSION}`);
  q.set('loss', state.focusedLoss);
  q.set('grid', String(state.gridSize));
  const params = nonDefaultParams(state.params);
  if (Object.keys(params).length) q.set('p', JSON.stringify(params));
  if (state.disabled.length) q.set('off', idList(state.disabled));
  q.set('hm', state.heatmapMode);
  q.set('hc', String(state.heatmapClass));
  q.set('cmp', idList(state.multiples));
  const m = state.masks;
  if (withMasks && m) {
    q.set('size', `${m.width}x${m.height}x${m.numClasses}`);
    q.set('gt', toBase64Url(await deflateRaw(encodeLabelRuns(m.target))));
    const packed = packPrediction(quantiseLogits(m.logits, m.numClasses), m.width, m.height, m.numClasses);
    q.set('pred', toBase64Url(await deflateRaw(packed)));
  }
  q.set('end', '1');
  return `#${q.toString()}`;
}

/**
 * The prediction exactly as a link carries it: what the receiver will compute on. The sender switches to it
 * before sharing so that both show the same loss values.
 */
export function linkPrecisionLogits(m: Masks): Float32Array {
  return logitsFromQuantised(quantiseLogits(m.logits, m.numClasses));
}

export interface ShareLinks {
  /** The link with masks (may be too long, see `tooLong`). */
  full: string;
  /** The link with the settings only. */
  withoutMasks: string;
  /** True when `full` exceeds MAX_LINK_LENGTH characters. */
  tooLong: boolean;
}

export async function buildShareLinks(base: string, state: ShareState, limit = MAX_LINK_LENGTH): Promise<ShareLinks> {
  const root = base.split('#')[0] as string;
  const full = root + (await encodeShareHash(state, true));
  const withoutMasks = root + (await encodeShareHash(state, false));
  return { full, withoutMasks, tooLong: full.length > limit };
}

function parseIdList(text: string | undefined, what: string): LossId[] {
  if (!text) return [];
  return text.split('.').map((id) => (isLossId(id) ? id : fail(`${what} names an unknown loss '${id}'`)));
}

function parseInt10(text: string, what: string, lo: number, hi: number): number {
  if (!/^\d{1,6}$/.test(text)) fail(`${what} '${text}' is not a whole number`);
  const n = Number(text);
  if (n < lo || n > hi) fail(`${what} ${n} is outside ${lo}–${hi}`);
  return n;
}

async function unpackBytes(text: string, what: string): Promise<Uint8Array> {
  let raw: Uint8Array;
  try {
    raw = fromBase64Url(text);
  } catch (e) {
    fail(`the ${what} ${(e as Error).message}`);
  }
  try {
    return await inflateRaw(raw);
  } catch {
    return fail(`the ${what} data is damaged or cut off (it does not decompress)`);
  }
}

function parseParams(text: string | undefined, numClasses: number): Partial<Record<LossId, Params>> {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail('the parameters (p=) are not valid JSON (truncated?)');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('the parameters (p=) are not an object');
  const out: Partial<Record<LossId, Params>> = {};
  for (const [id, given] of Object.entries(raw as Record<string, unknown>)) {
    if (!isLossId(id)) fail(`the parameters name an unknown loss '${id}'`);
    if (typeof given !== 'object' || given === null || Array.isArray(given))
      fail(`the parameters of ${id} are not an object`);
    try {
      resolveParams(id, getLoss(id).params, given as Params, numClasses);
    } catch (e) {
      if (e instanceof ParamError) fail(`bad parameter: ${e.message}`);
      throw e;
    }
    out[id] = given as Params;
  }
  return out;
}

/**
 * Decodes and validates a share hash ('#share=…'). `numClasses` is the receiver's class count, used to check
 * per-class parameters when the link carries no masks. Throws ShareLinkError with a readable reason.
 */
export async function decodeShareHash(hash: string, opts: { numClasses: number }): Promise<ShareState> {
  if (!isShareHash(hash)) fail('this is not a share link (it should start with #share=)');
  const rec: LinkRecord = {};
  for (const [k, v] of new URLSearchParams(hash.slice(1))) rec[k] = v;
  const r = migrateLink(rec);
  if (r.end !== '1') fail('the link is incomplete: its end is missing (it was probably cut off when copied)');

  const loss = r.loss ?? fail('the link names no loss (loss=)');
  if (!isLossId(loss)) fail(`unknown loss id '${loss}'`);
  const grid = Number(r.grid);
  if (!(GRID_SIZES as readonly number[]).includes(grid)) fail(`grid size '${r.grid ?? ''}' is not 64, 128 or 256`);

  let masks: Masks | null = null;
  const parts = [r.size, r.gt, r.pred].filter((x) => x !== undefined).length;
  if (parts !== 0 && parts !== 3) fail('the masks are incomplete (size, gt and pred must all be present)');
  if (parts === 3) {
    const sm = /^(\d+)x(\d+)x(\d+)$/.exec(r.size as string) ?? fail(`mask size '${r.size}' is not W×H×C`);
    const width = parseInt10(sm[1] as string, 'mask width', 1, MAX_LINK_SIDE);
    const height = parseInt10(sm[2] as string, 'mask height', 1, MAX_LINK_SIDE);
    const numClasses = parseInt10(sm[3] as string, 'number of classes', MIN_CLASSES, MAX_CLASSES);
    if (width === height && (GRID_SIZES as readonly number[]).includes(width) && width !== grid)
      fail(`grid size ${grid} does not match the ${width}×${height} masks`);
    try {
      const target = decodeLabelRuns(await unpackBytes(r.gt as string, 'ground truth'), width * height, numClasses);
      const q = unpackPrediction(await unpackBytes(r.pred as string, 'prediction'), width, height, numClasses);
      masks = { width, height, numClasses, target, logits: logitsFromQuantised(q) };
    } catch (e) {
      if (e instanceof MaskCodecError) fail(e.message);
      throw e;
    }
  }
  const numClasses = masks?.numClasses ?? opts.numClasses;
  const params = parseParams(r.p, numClasses);
  const heatmapMode = (r.hm ?? 'logit') as HeatmapMode;
  if (heatmapMode !== 'logit' && heatmapMode !== 'probability')
    fail(`heatmap mode '${r.hm}' is not logit or probability`);
  const heatmapClass = r.hc === undefined ? 1 : parseInt10(r.hc, 'heatmap class', 0, numClasses - 1);
  return {
    focusedLoss: loss,
    params,
    gridSize: grid as GridSize,
    disabled: parseIdList(r.off, 'the list of switched-off losses'),
    heatmapMode,
    heatmapClass,
    multiples: parseIdList(r.cmp, 'the comparison list'),
    masks,
  };
}

/** Every loss id in taxonomy order (for building `disabled` from the store's `enabled` map). */
export function disabledLosses(enabled: Partial<Record<LossId, boolean>>): LossId[] {
  return LOSSES.filter((d) => enabled[d.id] === false).map((d) => d.id);
}

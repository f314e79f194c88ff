// Shareable links: the explorer state in the URL hash, versioned like the saved session (app/persist/schema.ts).
//
//   #share=v1&loss=dice&grid=64&p={"dice":{"smoothNr":0.01}}&off=topk.rmi&hm=logit&hc=1&cmp=dice.iou
//            &size=64x64x2&gt=<base64url deflate-raw RLE labels>&pred=<base64url deflate-raw 8-bit probs>&end=1
//
// `p` holds only the parameters that differ from their defaults; `off` the losses switched off; `cmp` the small
// multiples; `size`/`gt`/`pred` are all present or all absent (a link without masks). `end=1` comes last so
// that a truncated link is recognised as such. The settings' keys are written and read by the table in
// app/settings/fields.ts (shared with the saved session); this file adds the masks, the version and the end.
// Decoding validates everything and throws a ShareLinkError whose message says what is wrong; the caller shows
// it and changes nothing. Pure: no DOM, no store.
import { isLossId } from '../../src';
import { GRID_SIZES, type Masks } from '../editing/grid';
import { MAX_CLASSES, MIN_CLASSES } from '../editing/palette';
import { MAX_SIDE } from '../io/errors';
import { quote } from '../messages';
import {
  FieldError,
  parseInt10 as parseIntField,
  readLinkSettings,
  type SharedSettings,
  writeLinkSettings,
} from '../settings/fields';
import { deflateRaw, fromBase64Url, InflateLimitError, inflateRaw, toBase64Url } from './bytes';
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
/**
 * Largest mask side a link may carry: what the explorer computes on (uploads are refused above it unless
 * downsampled). A valid link with 1024² masks once aborted the WASM engine for the rest of the page's life.
 */
export const MAX_LINK_SIDE = MAX_SIDE;

export { disabledLosses, nonDefaultParams } from '../settings/fields';

export interface ShareState extends SharedSettings {
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
  if (!m) fail(`the link's version ${quote(rec[SHARE_KEY] ?? '')} is not of the form v1, v2 …`);
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

/** The hash (starting with '#share=') for `state`; `withMasks: false` leaves the masks out. */
export async function encodeShareHash(state: ShareState, withMasks = true): Promise<string> {
  const q = new URLSearchParams();
  q.set(SHARE_KEY, `v${CURRENT_LINK_VERSION}`);
  writeLinkSettings(q, state);
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
  const root = base.split('#')[0]!;
  const full = root + (await encodeShareHash(state, true));
  const withoutMasks = root + (await encodeShareHash(state, false));
  return { full, withoutMasks, tooLong: full.length > limit };
}

/** The table's readers and parseInt10 throw FieldError; a link reports it as a ShareLinkError. */
function asLinkError<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof FieldError) fail(e.message);
    throw e;
  }
}

function parseInt10(text: string, what: string, lo: number, hi: number): number {
  return asLinkError(() => parseIntField(text, what, lo, hi));
}

async function unpackBytes(text: string, what: string, maxBytes: number): Promise<Uint8Array> {
  let raw: Uint8Array;
  try {
    raw = fromBase64Url(text);
  } catch (e) {
    fail(`the ${what} ${(e as Error).message}`);
  }
  try {
    return await inflateRaw(raw, maxBytes);
  } catch (e) {
    if (e instanceof InflateLimitError) fail(`the ${what} data ${e.message} (a damaged or hostile link)`);
    return fail(`the ${what} data is damaged or cut off (it does not decompress)`);
  }
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
  // A loss id this explorer does not know is named even in a cut-off link (it is the likelier mistake).
  if (r.loss !== undefined && !isLossId(r.loss)) fail(`unknown loss id ${quote(r.loss)}`);
  if (r.end !== '1') fail('the link is incomplete: its end is missing (it was probably cut off when copied)');

  const first = asLinkError(() => readLinkSettings(r, 'before-masks', { numClasses: opts.numClasses }));
  const grid = first.gridSize as number;

  let masks: Masks | null = null;
  const parts = [r.size, r.gt, r.pred].filter((x) => x !== undefined).length;
  if (parts !== 0 && parts !== 3) fail('the masks are incomplete (size, gt and pred must all be present)');
  if (parts === 3) {
    const sm = /^(\d+)x(\d+)x(\d+)$/.exec(r.size as string) ?? fail(`mask size ${quote(r.size)} is not W×H×C`);
    const width = parseInt10(sm[1]!, 'mask width', 1, Number.MAX_SAFE_INTEGER);
    const height = parseInt10(sm[2]!, 'mask height', 1, Number.MAX_SAFE_INTEGER);
    if (width > MAX_LINK_SIDE || height > MAX_LINK_SIDE)
      fail(
        `its masks are ${width}×${height} px; the explorer computes on at most ${MAX_LINK_SIDE} px a side (downsample them before sharing)`,
      );
    const numClasses = parseInt10(sm[3]!, 'number of classes', MIN_CLASSES, MAX_CLASSES);
    if (width === height && (GRID_SIZES as readonly number[]).includes(width) && width !== grid)
      fail(`grid size ${grid} does not match the ${width}×${height} masks`);
    try {
      // Inflated sizes are bounded before inflating: a run is a class byte and a varint of at most 3 bytes (runs
      // ≤ 512² px), the prediction one byte per pixel and stored class.
      const pixels = width * height;
      const gtBytes = await unpackBytes(r.gt as string, 'ground truth', 4 * pixels);
      const target = decodeLabelRuns(gtBytes, pixels, numClasses);
      const q = unpackPrediction(
        await unpackBytes(r.pred as string, 'prediction', pixels * (numClasses - 1)),
        width,
        height,
        numClasses,
      );
      masks = { width, height, numClasses, target, logits: logitsFromQuantised(q) };
    } catch (e) {
      if (e instanceof MaskCodecError) fail(e.message);
      throw e;
    }
  }
  const numClasses = masks?.numClasses ?? opts.numClasses;
  const rest = asLinkError(() => readLinkSettings(r, 'after-masks', { numClasses }));
  return { ...first, ...rest, masks } as ShareState;
}

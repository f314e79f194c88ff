// Saved-session schema with versioned migrations (in the spirit of tldraw's store migrations): every stored
// record carries `schemaVersion`; loading runs the migrations from that version up to CURRENT_VERSION in
// order. A version newer than this build knows, or data that fails validation, is rejected with a reason —
// the caller then falls back to the example and tells the user.
import { MAX_SIDE } from '../io/errors';
import { errorMessage } from '../messages';
import { settingsFromSaved } from '../settings/fields';
import { BRUSH_MAX } from '../store/masks';
import type { SettingsValues } from '../store/settings';
import { defaultTools, sanitizeTools, type ToolSettings } from '../store/tools';

export const STORAGE_KEY = 'segloss-explorer:session';
export const CURRENT_VERSION = 2;

export interface SessionV1 {
  schemaVersion: 1;
  savedAt: string;
  masks: {
    width: number;
    height: number;
    numClasses: number;
    /** base64 of the Int32Array bytes. */
    target: string;
    /** base64 of the Float32Array bytes. */
    logits: string;
  };
  /** Every field of app/settings/fields.ts under its store name (the backend choice as saved text). */
  settings: Omit<SettingsValues, 'backendChoice'> & { backendChoice: string };
}
/** Version 2 adds the editors' tool settings (tool, brush/stamp size, prediction brush, pen pressure). */
export interface SessionV2 extends Omit<SessionV1, 'schemaVersion'> {
  schemaVersion: 2;
  tools: ToolSettings;
}
export type Session = SessionV2;

/** migrations[v] turns a record of version v into version v + 1. */
export type Migration = (old: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Record<number, Migration> = {
  // Keep every old step so any saved session can be upgraded.
  // 1 → 2: sessions saved before tool settings were persisted get the default tools.
  1: (old) => ({ ...old, tools: defaultTools() }),
};

export class SessionError extends Error {}

export function migrate(
  raw: unknown,
  migrations: Record<number, Migration> = MIGRATIONS,
  current: number = CURRENT_VERSION,
): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null) throw new SessionError('the saved session is not an object');
  let rec = raw as Record<string, unknown>;
  const sv = rec.schemaVersion;
  if (typeof sv !== 'number' || !Number.isInteger(sv) || sv < 1)
    throw new SessionError('the saved session has no valid schemaVersion');
  let v: number = sv;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new SessionError('the saved session has no valid schemaVersion');
  if (v > current)
    throw new SessionError(`the saved session has schema version ${v}, newer than this app (${current})`);
  while (v < current) {
    const step = migrations[v];
    if (!step) throw new SessionError(`no migration from schema version ${v}`);
    rec = { ...step(rec), schemaVersion: v + 1 };
    v = v + 1;
  }
  return rec;
}

/** The runtime's own base64 methods on Uint8Array (Chromium 140+, Firefox 133+, Safari 18.2+; not Node 20). */
type NativeBase64 = { toBase64?: (this: Uint8Array) => string };
type NativeFromBase64 = { fromBase64?: (this: unknown, text: string) => Uint8Array };

/**
 * Base64 of the bytes. The native method when there is one: autosave encodes the masks after every edit, and at
 * 256² (≈ 770 kB) the string-building fallback took ≈ 35–47 ms of the main thread against ≈ 3 ms, while the
 * worker was still computing the edit's values on the same two cores (issue 11).
 */
export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & NativeBase64).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const native = (Uint8Array as unknown as NativeFromBase64).fromBase64;
  if (typeof native === 'function') return native.call(Uint8Array, b64);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function fail(msg: string): never {
  throw new SessionError(msg);
}

/** Decodes and validates a current-version record. */
export function decode(rec: Record<string, unknown>): {
  masks: { width: number; height: number; numClasses: number; target: Int32Array; logits: Float32Array };
  settings: SettingsValues;
  tools: ToolSettings;
} {
  const s = rec as unknown as Session;
  const m = s.masks;
  if (!m || typeof m !== 'object') fail('masks missing');
  const { width, height, numClasses } = m;
  for (const [k, v] of Object.entries({ width, height, numClasses }) as [string, number][]) {
    if (!Number.isInteger(v) || v < 1) fail(`masks.${k} is invalid`);
  }
  if (width > MAX_SIDE || height > MAX_SIDE)
    fail(`the masks are ${width}×${height}; the explorer computes on at most ${MAX_SIDE} px a side`);
  if (numClasses < 2 || numClasses > 8) fail('masks.numClasses must be 2..8');
  let targetBytes: Uint8Array;
  let logitBytes: Uint8Array;
  try {
    targetBytes = fromBase64(m.target);
    logitBytes = fromBase64(m.logits);
  } catch {
    fail('mask data is not valid base64');
  }
  if (targetBytes.length !== width * height * 4) fail('target has the wrong size');
  if (logitBytes.length !== width * height * numClasses * 4) fail('logits have the wrong size');
  const target = new Int32Array(targetBytes.buffer.slice(0));
  const logits = new Float32Array(logitBytes.buffer.slice(0));
  for (const v of target) if (v < 0 || v >= numClasses) fail('target holds a label outside 0..C−1');
  for (const v of logits) if (!Number.isFinite(v)) fail('logits hold a non-finite value');
  const st: unknown = s.settings;
  if (!st || typeof st !== 'object') fail('settings missing');
  let settings: SettingsValues;
  try {
    settings = settingsFromSaved(st as Record<string, unknown>, { numClasses });
  } catch (e) {
    fail(errorMessage(e));
  }
  const tools = sanitizeTools(s.tools, numClasses, BRUSH_MAX);
  return { masks: { width, height, numClasses, target, logits }, settings, tools };
}

export function encode(
  masks: { width: number; height: number; numClasses: number; target: Int32Array; logits: Float32Array },
  settings: Session['settings'],
  tools: ToolSettings = defaultTools(),
): Session {
  return {
    schemaVersion: 2,
    savedAt: new Date().toISOString(),
    masks: {
      width: masks.width,
      height: masks.height,
      numClasses: masks.numClasses,
      target: toBase64(new Uint8Array(masks.target.buffer, masks.target.byteOffset, masks.target.byteLength)),
      logits: toBase64(new Uint8Array(masks.logits.buffer, masks.logits.byteOffset, masks.logits.byteLength)),
    },
    settings,
    tools,
  };
}

/**
 * Per-update memo of what every loss derives from the same logits (the softmax, the log-softmax), so that the
 * engine, which runs many losses on one logits tensor, computes each once per update instead of once per loss.
 *
 * Safe by construction, in two ways:
 * - it only serves tensors while the gradient tape is OFF (`tf.engine().isTapeOn()` false): inside a
 *   `tf.customGrad` forward (where the closed-form losses compute their probabilities; the custom gradient
 *   does not differentiate through them) or in a value-only evaluation. When the tape is on, a memoised
 *   tensor would be a constant to the tape and silently lose its gradient, so `make()` runs afresh there
 *   (softmax and logSoftmax, src/ops/probabilities.ts, are single ops whose forward runs with the tape paused:
 *   the tape sees their closed-form gradient, so they are served from the memo under the tape too);
 * - it only memoises for a logits tensor registered by an open `predictionScope` (same data, same shape), and
 *   the scope disposes its entries when it ends. Outside a scope (direct computeLoss calls, tests, training)
 *   nothing is memoised and nothing outlives the call.
 * The memoised values are the very same kernels' outputs, so numbers do not change. What is derived from a
 * memoised tensor (1 − p of the memoised softmax) can be memoised with it: memoOfPrediction.
 */
import { tf } from '../tf';

interface Scope {
  refs: number;
  entries: Map<string, tf.Tensor>;
  /** Host copies of the logits and of memoised tensors, by data id (see hostValues). */
  host: Map<object, Float32Array>;
}

/** Open scopes by the logits' data id (scopes may interleave across awaits: no stack, reference counts). */
const scopes = new Map<object, Scope>();
/** Memoised tensors' data ids → their scope and key: what is derived from one is memoised with it. */
const owners = new Map<object, { scope: Scope; key: string }>();

function open(logits: tf.Tensor, hostLogits?: Float32Array): object {
  const id = logits.dataId;
  let s = scopes.get(id);
  if (s) s.refs++;
  else {
    s = { refs: 1, entries: new Map(), host: new Map() };
    scopes.set(id, s);
  }
  if (hostLogits && logits.dtype === 'float32' && hostLogits.length === logits.size) s.host.set(id, hostLogits);
  return id;
}

function close(id: object): void {
  const s = scopes.get(id);
  if (!s || --s.refs > 0) return;
  scopes.delete(id);
  for (const t of s.entries.values()) {
    owners.delete(t.dataId);
    t.dispose();
  }
}

/**
 * Runs `run` with a memo for `logits` open (async: the memo stays open across its awaits). `hostLogits`: the
 * logits' values already on the host (the engine's request), which hostValues(logits) then serves without a
 * read-back; the caller must not change them while the scope is open.
 */
export async function predictionScope<T>(
  logits: tf.Tensor,
  run: () => Promise<T>,
  hostLogits?: Float32Array,
): Promise<T> {
  const id = open(logits, hostLogits);
  try {
    return await run();
  } finally {
    close(id);
  }
}

/** The synchronous form of predictionScope. */
export function predictionScopeSync<T>(logits: tf.Tensor, run: () => T, hostLogits?: Float32Array): T {
  const id = open(logits, hostLogits);
  try {
    return run();
  } finally {
    close(id);
  }
}

/** `make()` for `x`, from the memo when x is an open scope's logits and the tape is off (see the header). */
export function memoOfLogits<T extends tf.Tensor>(x: tf.Tensor, key: string, make: () => T): T {
  const s = scopes.get(x.dataId);
  if (!s || tf.engine().isTapeOn()) return make();
  return cached(s, `${key}:${x.shape.join('x')}`, make);
}

/**
 * `make()` for `p`, memoised with p when p is itself a memoised tensor (e.g. 1 − p of the memoised softmax,
 * src/ops/complement.ts); computed afresh otherwise, and whenever the tape is on.
 */
export function memoOfPrediction<T extends tf.Tensor>(p: tf.Tensor, key: string, make: () => T): T {
  const o = owners.get(p.dataId);
  if (!o || tf.engine().isTapeOn()) return make();
  return cached(o.scope, `${key}(${o.key})`, make);
}

/**
 * The values of `t` on the host, for the losses that compute there. For an open scope's logits or a tensor
 * memoised in one, read back once per update and shared by every loss that asks (or, for the logits, the host
 * copy the scope was given: no read-back at all); otherwise `t.dataSync()`. Callers must not modify the array.
 *
 * Why: each read-back is a fresh array, and in Chromium fresh arrays of a few hundred kB fault in new pages
 * (see reusable.ts): at 256² the Hausdorff and RMI losses read the same probabilities, Active Boundary and CBL
 * the same logits.
 */
export function hostValues(t: tf.Tensor): Float32Array {
  const s = scopes.get(t.dataId) ?? owners.get(t.dataId)?.scope;
  if (!s || t.dtype !== 'float32') return t.dataSync() as Float32Array;
  let hit = s.host.get(t.dataId);
  if (!hit) {
    hit = t.dataSync() as Float32Array;
    s.host.set(t.dataId, hit);
  }
  return hit;
}

function cached<T extends tf.Tensor>(s: Scope, k: string, make: () => T): T {
  const hit = s.entries.get(k);
  if (hit && !hit.isDisposed) return hit as T;
  const made = tf.keep(make());
  s.entries.set(k, made);
  owners.set(made.dataId, { scope: s, key: k });
  return made;
}

/** Number of tensors the open memos hold (tests). */
export function predictionMemoSize(): number {
  let n = 0;
  for (const s of scopes.values()) n += s.entries.size;
  return n;
}

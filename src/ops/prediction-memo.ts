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
}

/** Open scopes by the logits' data id (scopes may interleave across awaits: no stack, reference counts). */
const scopes = new Map<object, Scope>();
/** Memoised tensors' data ids → their scope and key: what is derived from one is memoised with it. */
const owners = new Map<object, { scope: Scope; key: string }>();

function open(logits: tf.Tensor): object {
  const id = logits.dataId;
  const s = scopes.get(id);
  if (s) s.refs++;
  else scopes.set(id, { refs: 1, entries: new Map() });
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

/** Runs `run` with a memo for `logits` open (async: the memo stays open across its awaits). */
export async function predictionScope<T>(logits: tf.Tensor, run: () => Promise<T>): Promise<T> {
  const id = open(logits);
  try {
    return await run();
  } finally {
    close(id);
  }
}

/** The synchronous form of predictionScope. */
export function predictionScopeSync<T>(logits: tf.Tensor, run: () => T): T {
  const id = open(logits);
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

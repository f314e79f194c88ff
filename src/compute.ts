import { GroundTruthContext } from './engine/gt-context';
import { shareIdentityOnWasm } from './engine/wasm-identity';
import { assertFiniteLogits } from './finite-logits';
import { resolveParams } from './params';
import { getLoss, isImplemented } from './registry';
import { tf } from './tf';
import type { LossDefinition, Params } from './types';

function checkInputs(def: LossDefinition, logits: tf.Tensor, target: tf.Tensor): void {
  if (logits.rank !== 4) throw new Error(`${def.id}: logits must be [N, H, W, C], got [${logits.shape.join(', ')}]`);
  if (target.rank !== 3) throw new Error(`${def.id}: target must be [N, H, W], got [${target.shape.join(', ')}]`);
  const [n, h, w, c] = logits.shape;
  if (target.shape[0] !== n || target.shape[1] !== h || target.shape[2] !== w) {
    throw new Error(
      `${def.id}: target [${target.shape.join(', ')}] does not match logits [${logits.shape.join(', ')}]`,
    );
  }
  if ((c as number) < 2) throw new Error(`${def.id}: needs at least 2 classes (C = ${c}); binary problems use C = 2`);
  if (def.binaryOnly && c !== 2) throw new Error(`${def.id} is defined for binary problems only (C = 2), got C = ${c}`);
}

function implementedLoss(idOrDef: string | LossDefinition) {
  const def = typeof idOrDef === 'string' ? getLoss(idOrDef) : idOrDef;
  if (!isImplemented(def)) throw new Error(`${def.id} is not implemented yet`);
  return def;
}

/**
 * The loss value as a scalar tensor (differentiable with respect to `logits`).
 * `params` are merged over the defaults and validated; `ctx` caches ground-truth constants across calls
 * (pass the same context while only the prediction changes; the caller disposes it).
 * NaN or ±Infinity in `logits` is refused with a message naming the count and the first position; that check
 * costs one scalar read-back (see src/finite-logits.ts). On wasm, the first call installs the Identity kernel
 * that shares data instead of copying it (src/engine/wasm-identity.ts), as the engine does.
 */
export function computeLoss(
  idOrDef: string | LossDefinition,
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  params: Params = {},
  ctx?: GroundTruthContext,
): tf.Scalar {
  const def = implementedLoss(idOrDef);
  checkInputs(def, logits, target);
  shareIdentityOnWasm();
  assertFiniteLogits(logits, `${def.id}: `);
  return computeLossOfFiniteLogits(def, logits, target, params, ctx);
}

/**
 * computeLoss without the value check of the logits (shapes and parameters are still checked): for callers that
 * checked the values once themselves — lossAndGrad, the multi-loss engine, the landscape — and so must not pay a
 * read-back per loss.
 */
export function computeLossOfFiniteLogits(
  idOrDef: string | LossDefinition,
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  params: Params = {},
  ctx?: GroundTruthContext,
): tf.Scalar {
  const def = implementedLoss(idOrDef);
  checkInputs(def, logits, target);
  const c = logits.shape[3];
  const p = resolveParams(def.id, def.params, params, c);
  const own = ctx ?? GroundTruthContext.fromTensor(target, c);
  if (own.numClasses !== c) throw new Error(`${def.id}: context has ${own.numClasses} classes, logits have ${c}`);
  try {
    return def.compute(logits, target, p, own);
  } finally {
    if (!ctx) own.dispose();
  }
}

/**
 * Value and d value / d logits, as tensors the caller disposes. Non-finite logits are refused (one scalar
 * read-back). On wasm the tape's copies of saved tensors share their data (see computeLoss).
 */
export function lossAndGrad(
  idOrDef: string | LossDefinition,
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  params: Params = {},
  ctx?: GroundTruthContext,
): { value: tf.Scalar; grad: tf.Tensor4D } {
  const def = implementedLoss(idOrDef);
  checkInputs(def, logits, target);
  shareIdentityOnWasm();
  assertFiniteLogits(logits, `${def.id}: `);
  const own = ctx ?? GroundTruthContext.fromTensor(target, logits.shape[3]);
  try {
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) =>
      computeLossOfFiniteLogits(def, x as tf.Tensor4D, target, params, own),
    )(logits);
    return { value: value as tf.Scalar, grad: grad as tf.Tensor4D };
  } finally {
    if (!ctx) own.dispose();
  }
}

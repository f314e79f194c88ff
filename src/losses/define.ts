import type { LossDefinition, Params } from '../types';

/**
 * A loss file's one declaration: taxonomy entry (name, category, citation …) plus implementation, with the
 * parameter type P and the literal id kept (the registry derives the LossId union from them).
 */
export function defineLoss<P extends Params, const Id extends string>(
  def: LossDefinition<P, Id>,
): LossDefinition<P, Id> {
  return def;
}

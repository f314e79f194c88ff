import { taxonomyEntry } from '../taxonomy';
import type { LossDefinition, LossId, LossImplementation, Params } from '../types';

/** Joins a loss file's implementation with its taxonomy entry (name, category, citation …). */
export function defineLoss<P extends Params>(impl: LossImplementation<P>): LossDefinition {
  return { ...taxonomyEntry(impl.id), ...(impl as unknown as LossImplementation) };
}

/** Placeholder for a loss that is in the taxonomy but not implemented yet: the UI shows it as "coming". */
export function comingLoss(id: LossId): LossDefinition {
  return defineLoss({
    id,
    status: 'coming',
    formula: '',
    reference: [],
    params: {},
    variants: [],
    pitfalls: [],
    notes: [],
  });
}

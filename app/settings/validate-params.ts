// Validation of a loss-parameter record that comes from outside (a share link, a restored session): every key a
// known loss, every value accepted by the library's own parameter check. One function for both, so a saved
// session can no more smuggle in `gamma: "abc"` than a link can.

import type { LossId, Params } from '../../src';
import { getLoss, isLossId, ParamError, resolveParams } from '../../src';
import { quote } from '../messages';

/** Returns the record typed, or throws an Error whose message names the loss, the parameter and the value. */
export function validateParamsRecord(raw: unknown, numClasses: number): Partial<Record<LossId, Params>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error('the parameters are not an object');
  const out: Partial<Record<LossId, Params>> = {};
  for (const [id, given] of Object.entries(raw as Record<string, unknown>)) {
    if (!isLossId(id)) throw new Error(`the parameters name an unknown loss ${quote(id)}`);
    if (typeof given !== 'object' || given === null || Array.isArray(given))
      throw new Error(`the parameters of ${id} are not an object`);
    try {
      resolveParams(id, getLoss(id).params, given as Params, numClasses);
    } catch (e) {
      if (e instanceof ParamError) throw new Error(`bad parameter: ${e.message}`);
      throw e;
    }
    out[id] = given as Params;
  }
  return out;
}

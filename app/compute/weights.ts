// Pretrained weights the engine needs (InverseForm's network), loaded where the maths runs once the backend is
// up — again after every engine restart. Their status lives in its own small store (never saved with the
// session) so that the page can say "loading weights…" instead of the engine's "not loaded" error, and a
// user-facing reason when they failed.
import { create } from 'zustand';
import type { LossId } from '../../src';
import { errorMessage } from '../messages';
import { EngineFaultError } from './faults';
import type { ComputeHost } from './host';

export interface WeightsStatus {
  /** loading: not tried yet (or in progress); failed: tried, with `message`. */
  state: 'loading' | 'ready' | 'failed';
  message: string | null;
}

export const useWeights = create<WeightsStatus>(() => ({ state: 'loading', message: null }));

/** The losses whose values wait for these weights. */
export const NEEDS_WEIGHTS: readonly LossId[] = ['inverseform'];

/**
 * Loads the InverseForm weights into the engine, then recomputes the losses that need them. A failure is
 * reported through `notify` and recorded (the row then says why instead of showing a developer error).
 */
export async function loadWeights(
  host: ComputeHost,
  recompute: (ids: LossId[]) => Promise<void>,
  notify: (text: string) => void,
): Promise<void> {
  useWeights.setState({ state: 'loading', message: null });
  try {
    await host.loadInverseForm(new URL('models/inverseform/model.json', document.baseURI).href);
  } catch (e) {
    // The engine faulted meanwhile: its recovery loads the weights again.
    if (e instanceof EngineFaultError) return;
    const message = `InverseForm weights did not load: ${errorMessage(e)}`;
    useWeights.setState({ state: 'failed', message });
    notify(message);
    await recompute([...NEEDS_WEIGHTS]);
    return;
  }
  // "ready" once the values computed with the weights landed: until then the old "not loaded" error is stale.
  await recompute([...NEEDS_WEIGHTS]);
  useWeights.setState({ state: 'ready', message: null });
}

/**
 * What to show instead of a loss's error while its weights are missing: "loading weights…" until they were
 * tried, the user-facing reason once they failed; null when the error is the loss's own.
 */
export function weightsNote(id: LossId, w: WeightsStatus): { loading: boolean; text: string } | null {
  if (!NEEDS_WEIGHTS.includes(id) || w.state === 'ready') return null;
  if (w.state === 'loading') return { loading: true, text: 'loading weights…' };
  return { loading: false, text: w.message ?? 'the weights did not load' };
}

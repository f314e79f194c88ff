// The error a loss's value, heatmap or small multiple shows: the engine's own, except while the loss waits for
// its weights ("loading weights…", not an error) or after they failed (the user-facing reason).
import type { LossId } from '../../src';
import { useWeights, weightsNote } from '../compute/weights';
import { useStore } from '../store';

export function useLossError(id: LossId): { text: string; loading: boolean } | null {
  const error = useStore((s) => s.results[id]?.error ?? null);
  const weights = useWeights();
  if (!error) return null;
  return weightsNote(id, weights) ?? { text: error, loading: false };
}

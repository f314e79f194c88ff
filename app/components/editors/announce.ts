// Text and timing of the editors' polite live region (no React): what to say about the focused loss after an
// update, and how long to wait so that a screen reader is not flooded while values stream in.
import { formatNumber } from '../../format-number';

/** At most one announcement per this many milliseconds. */
export const ANNOUNCE_GAP_MS = 1000;

export function lossAnnouncement(
  name: string,
  result: { value: number | null; error: string | null } | undefined,
): string | null {
  if (!result) return null;
  if (result.error) return `${name}: error, ${result.error}`;
  if (result.value === null) return null;
  return `${name} is ${formatNumber(result.value)}`;
}

/** Milliseconds to wait before announcing at `now` when the last announcement was at `lastAt` (null: never). */
export function announceDelay(now: number, lastAt: number | null, gapMs = ANNOUNCE_GAP_MS): number {
  if (lastAt === null) return 0;
  return Math.max(0, lastAt + gapMs - now);
}

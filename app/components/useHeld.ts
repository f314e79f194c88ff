import { useRef } from 'react';

/**
 * What a view draws from: `live`, or while `hold` is true the `live` of the last render before the hold (so that
 * nothing is computed from newer inputs meanwhile); `behind` says whether some field of it is no longer the one in
 * `live`. `renew` names the changes never held (they take `live` at once). Rendering twice with the same inputs
 * keeps the same fields (idempotent).
 */
export function useHeld<T extends object>(
  live: T,
  hold: boolean,
  renew?: (kept: T) => boolean,
): { kept: T; behind: boolean } {
  const ref = useRef(live);
  if (!hold || renew?.(ref.current)) ref.current = live;
  const kept = ref.current;
  const behind = (Object.keys(live) as (keyof T)[]).some((k) => kept[k] !== live[k]);
  return { kept, behind };
}

// What a racer changed: per pixel, the probability of the ground-truth class at the shown step minus at step 0,
// from the 8-bit snapshots (for the race's "change since the start" small multiples, drawn on a diverging scale).

/** (p_t − p_0) of the true class per pixel; snapshots are H·W·C bytes (p·255), target H·W class indices. */
export function trueClassChange(
  snapT: Uint8Array,
  snap0: Uint8Array,
  target: ArrayLike<number>,
  numClasses: number,
): Float32Array {
  const out = new Float32Array(target.length);
  for (let i = 0; i < target.length; i++) {
    const k = i * numClasses + target[i]!;
    out[i] = (snapT[k]! - snap0[k]!) / 255;
  }
  return out;
}

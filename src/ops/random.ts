/**
 * mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). One implementation for everything that
 * must be reproducible from a seed: test data, benchmark tensors, InverseForm's synthetic training pairs, the
 * explorer's "add noise".
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

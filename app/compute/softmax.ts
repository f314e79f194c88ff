/** Softmax over the class axis of H×W×C logits, in JS (for display: read-outs and ∂L/∂p). */
export function softmaxRows(logits: Float32Array, c: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i += c) {
    let m = -Infinity;
    for (let k = 0; k < c; k++) m = Math.max(m, logits[i + k] as number);
    let s = 0;
    for (let k = 0; k < c; k++) {
      const e = Math.exp((logits[i + k] as number) - m);
      out[i + k] = e;
      s += e;
    }
    for (let k = 0; k < c; k++) out[i + k] = (out[i + k] as number) / s;
  }
  return out;
}

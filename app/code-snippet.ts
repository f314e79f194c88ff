// The "Code" disclosure of the loss card: a TypeScript snippet that computes the focused loss and its gradient
// with this library (README, "The library contract"), with the explorer's current non-default parameters.
import { defaultParams, type LossDefinition, type Params, type ParamValue } from '../src';

/** The parameters in `current` that differ from the loss's defaults, in schema order. */
export function nonDefaultParams(def: LossDefinition, current: Params | undefined): Params {
  const defaults = defaultParams(def.params);
  const out: Params = {};
  for (const name of Object.keys(def.params)) {
    if (!current || !(name in current)) continue;
    const v = current[name] as ParamValue;
    if (JSON.stringify(v) !== JSON.stringify(defaults[name])) out[name] = v;
  }
  return out;
}

/**
 * A runnable snippet: random logits against a disc target of `numClasses` classes (2 for binary-only losses), then
 * lossAndGrad with the non-default parameters written as one JSON object literal on the `const params` line.
 */
export function lossSnippet(def: LossDefinition, current: Params | undefined, numClasses: number): string {
  const c = def.binaryOnly ? 2 : Math.max(2, Math.floor(numClasses));
  const params = nonDefaultParams(def, current);
  const needsNet = def.needs.includes('pretrained-network');
  const names = needsNet ? 'loadInverseFormNet, lossAndGrad, tf' : 'lossAndGrad, tf';
  const lines = [
    "import '@tensorflow/tfjs-backend-cpu'; // or -wasm / -webgl: register the backend you want",
    `import { ${names} } from './src'; // this repository's library entry (src/index.ts)`,
  ];
  lines.push('', "await tf.setBackend('cpu');");
  // In Node, load the network from disk instead: src/inverseform/load-node.ts.
  if (needsNet) lines.push('await loadInverseFormNet(); // the frozen InverseForm network (browser: by URL)');
  lines.push(
    `const H = 64, W = 64, C = ${c}; // C classes${def.binaryOnly ? ' (this loss is binary only)' : ''}`,
    '// target [N, H, W]: int32 class indices, here a disc of class C − 1 on class 0',
    'const labels = new Int32Array(H * W).map((_, i) => (Math.hypot((i % W) - W / 2, Math.floor(i / W) - H / 2) < H / 4 ? C - 1 : 0));',
    "const target = tf.tensor3d(labels, [1, H, W], 'int32');",
    'const logits = tf.randomNormal([1, H, W, C]) as tf.Tensor4D; // [N, H, W, C], softmax is taken inside',
    Object.keys(params).length > 0
      ? `const params = ${JSON.stringify(params)}; // only what differs from the defaults`
      : 'const params = {}; // all defaults',
    `const { value, grad } = lossAndGrad('${def.id}', logits, target, params);`,
    `console.log('${def.name}', (await value.data())[0], 'd loss / d logits', grad.shape);`,
    'tf.dispose([target, logits, value, grad]);',
  );
  return `${lines.join('\n')}\n`;
}

/** The parameters written in a snippet (the JSON object on its `const params` line). */
export function snippetParams(snippet: string): Params {
  const m = /^const params = (\{.*\});/m.exec(snippet);
  if (!m) throw new Error('no `const params = {…};` line in the snippet');
  return JSON.parse(m[1]!) as Params;
}

// The loss card's PyTorch snippet: the reference call (app/pytorch/references.ts) with the explorer's current
// parameters, merged over the defaults, written as Python.
import { defaultParams, type LossDefinition, type Params, type ParamValue } from '../../src';
import { PYTORCH_REFERENCES } from './references';

export function pytorchSnippet(def: LossDefinition, current: Params | undefined, numClasses: number): string {
  const ref = PYTORCH_REFERENCES[def.id];
  const c = def.binaryOnly ? 2 : Math.max(2, Math.floor(numClasses));
  const defaults = defaultParams(def.params);
  const p = { ...defaults, ...(current ?? {}) } as Record<string, ParamValue>;
  const lines = [
    `# ${def.name}: the reference implementation this explorer's value was checked against`,
    `#   ${ref.source}`,
    `#   ${ref.install}`,
    'import torch',
    ...ref.imports,
    '',
    "# logits: float [N, C, H, W] (the explorer's [N, H, W, C] logits: logits.permute(0, 3, 1, 2))",
    '# target: int64 [N, H, W] class indices',
    `C = ${c}`,
    ...ref.code(p),
  ];
  const differing = Object.entries(ref.params).filter(
    ([name, m]) => m.arg === null && JSON.stringify(p[name]) !== JSON.stringify(defaults[name]),
  );
  const notes = [
    ...ref.notes,
    ...differing.map(
      ([name, m]) => `${name} = ${JSON.stringify(p[name])} has no counterpart here: ${'why' in m ? m.why : ''}.`,
    ),
  ];
  if (notes.length) lines.push('', ...notes.map((n) => `# Note: ${n}`));
  return `${lines.join('\n')}\n`;
}

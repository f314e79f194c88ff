import { useMemo } from 'react';
import type { LossDefinition } from '../../src';
import { lossSnippet } from '../code-snippet';
import { pytorchSnippet } from '../pytorch/snippet';
import { useStore } from '../store';
import { CopyText } from './CopyText';

/** "Code": how to compute the focused loss and its gradient with the library, with the current parameters. */
export function CodeSnippet({ def }: { def: LossDefinition }) {
  const params = useStore((s) => s.params[def.id]);
  const numClasses = useStore((s) => s.numClasses);
  const code = useMemo(() => lossSnippet(def, params, numClasses), [def, params, numClasses]);
  const python = useMemo(() => pytorchSnippet(def, params, numClasses), [def, params, numClasses]);
  return (
    <>
      <details className="code-snippet" data-testid="code-snippet">
        <summary>Code</summary>
        <p className="muted">
          The selected loss and its gradient with this library, using the parameters set above (only those that differ
          from the defaults).
        </p>
        <pre>
          <code data-testid="code-snippet-text">{code}</code>
        </pre>
        <CopyText text={code} label="Copy code" what="TypeScript snippet" testId="code-snippet" />
      </details>
      <details className="code-snippet" data-testid="pytorch-snippet">
        <summary>PyTorch</summary>
        <p className="muted">
          The reference implementation this value was checked against, called with the parameters set above (translated
          where the reference names or parameterises them differently). Export the masks as .npy to reproduce the value.
        </p>
        <pre>
          <code data-testid="pytorch-snippet-text">{python}</code>
        </pre>
        <CopyText text={python} label="Copy code" what="PyTorch snippet" testId="pytorch-snippet" />
      </details>
    </>
  );
}

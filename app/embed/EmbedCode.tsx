import { useState } from 'react';
import { CopyText } from '../components/CopyText';
import { errorMessage } from '../messages';
import { buildShareLinks } from '../share/link';
import { currentShareState } from '../share/store-link';
import { EMBED_KINDS, type EmbedKind, embedSnippet } from '../view/mode';
import { EMBEDDABLE } from './registry';

/**
 * "Embed": pick a panel, get the `<iframe>` snippet that shows it with the current state (the share link's hash,
 * or only the settings when the masks make the link too long).
 */
export function EmbedCode() {
  const [panel, setPanel] = useState<EmbedKind>('heatmap');
  const [snippet, setSnippet] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function make(p: EmbedKind) {
    setError(null);
    try {
      const links = await buildShareLinks(window.location.href, currentShareState());
      const src = links.tooLong ? links.withoutMasks : links.full;
      setSnippet(embedSnippet(src, p, `SegLoss Explorer: ${EMBEDDABLE[p].title}`));
    } catch (e) {
      setError(`Could not make the embed code: ${errorMessage(e)}`);
    }
  }

  return (
    <details className="embed-code" onToggle={(e) => e.currentTarget.open && void make(panel)}>
      <summary data-testid="embed-code-open">Embed</summary>
      <div className="embed-code-pop">
        <label>
          panel{' '}
          <select
            value={panel}
            data-testid="embed-panel"
            onChange={(e) => {
              const p = e.target.value as EmbedKind;
              setPanel(p);
              void make(p);
            }}
          >
            {EMBED_KINDS.map((k) => (
              <option key={k} value={k}>
                {EMBEDDABLE[k].title}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {snippet && (
          <>
            <code className="embed-snippet" data-testid="embed-snippet">
              {snippet}
            </code>
            <CopyText text={snippet} label="Copy embed code" what="Embed code" testId="embed-code" />
          </>
        )}
      </div>
    </details>
  );
}

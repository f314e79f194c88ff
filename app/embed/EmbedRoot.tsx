import { EMBED_KINDS, type EmbedKind } from '../view/mode';
import { EMBEDDABLE } from './registry';

/** One panel alone, filling its iframe, without the explorer's header, toolbar or stats. */
export function EmbedRoot({ panel }: { panel: EmbedKind | { unknown: string } }) {
  if (typeof panel !== 'string')
    return (
      <div className="embed-root" data-testid="embed-root" data-embed="unknown">
        <p role="alert" className="embed-message">
          There is no panel called “{panel.unknown}” to embed. Use ?embed= with one of: {EMBED_KINDS.join(', ')}.
        </p>
      </div>
    );
  const entry = EMBEDDABLE[panel];
  return (
    <div className={`embed-root embed-${panel}`} data-testid="embed-root" data-embed={panel}>
      {entry.render ? (
        entry.render()
      ) : (
        <p className="embed-message" data-testid="embed-placeholder">
          {entry.title}: this panel is not available in this version of SegLoss Explorer yet.
        </p>
      )}
    </div>
  );
}

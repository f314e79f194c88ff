import { useRef, useState } from 'react';
import { errorMessage } from '../messages';
import { MAX_LINK_LENGTH, type ShareLinks } from '../share/link';
import { shareLinksNow } from '../share/store-link';

type Shown = ShareLinks & { rounded: boolean; url: string; copied: boolean | null };

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // refused (permissions, insecure context): the link stays on screen to copy by hand
  }
}

/** "Copy link": the explorer state as a URL, copied to the clipboard and shown, selectable. */
export function ShareLink() {
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function make() {
    setBusy(true);
    setError(null);
    try {
      const links = await shareLinksNow(window.location.href);
      const url = links.tooLong ? '' : links.full;
      const copied = url ? await copy(url) : null;
      setShown({ ...links, url, copied });
      requestAnimationFrame(() => input.current?.select());
    } catch (e) {
      setError(`Could not make a link: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }

  async function copyWithoutMasks() {
    if (!shown) return;
    const url = shown.withoutMasks;
    setShown({ ...shown, url, copied: await copy(url) });
    requestAnimationFrame(() => input.current?.select());
  }

  return (
    <div className="share">
      <button type="button" onClick={make} disabled={busy} data-testid="share-copy">
        {busy ? 'Making link…' : 'Copy link'}
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
      {shown && (
        <fieldset className="share-pop" data-testid="share-panel">
          <legend className="sr-only">Shareable link</legend>
          {shown.tooLong && !shown.url && (
            <p role="alert" data-testid="share-too-long">
              With the masks the link would be {shown.full.length.toLocaleString('en')} characters, over the{' '}
              {MAX_LINK_LENGTH.toLocaleString('en')} that browsers and chat tools reliably keep.{' '}
              <button type="button" onClick={copyWithoutMasks} data-testid="share-without-masks">
                Copy a link without the masks
              </button>{' '}
              (the receiver sees these settings on their own masks).
            </p>
          )}
          {shown.url && (
            <>
              <input
                ref={input}
                readOnly
                value={shown.url}
                aria-label="Link to this state"
                data-testid="share-url"
                onFocus={(e) => e.currentTarget.select()}
              />
              <p className="muted" data-testid="share-status">
                {shown.copied
                  ? 'Copied to the clipboard'
                  : 'The clipboard is not available: select the link and copy it'}{' '}
                ({shown.url.length.toLocaleString('en')} characters
                {shown.url === shown.withoutMasks ? ', without masks' : ''}).
                {shown.rounded &&
                  ' The prediction was rounded to the link’s 8 bits per class so that both sides show the same values (Undo reverts).'}
              </p>
            </>
          )}
          <button type="button" onClick={() => setShown(null)} aria-label="Close the link panel">
            ×
          </button>
        </fieldset>
      )}
    </div>
  );
}

import { useRef, useState } from 'react';

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // refused (permissions, insecure context): the text is shown to copy by hand
  }
}

/**
 * A copy button for a piece of text: "Copied" when the clipboard took it; otherwise the text in a selected,
 * read-only field to copy by hand.
 */
export function CopyText({ text, label, what, testId }: { text: string; label: string; what: string; testId: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);

  async function copy() {
    const ok = await writeClipboard(text);
    setCopied(ok);
    if (!ok) requestAnimationFrame(() => field.current?.select());
  }

  return (
    <span className="copy-text">
      <button type="button" className="link" onClick={copy} data-testid={`${testId}-copy`}>
        {label}
      </button>
      <span role="status" className="muted" data-testid={`${testId}-status`}>
        {copied === true ? ' Copied.' : copied === false ? ' The browser refused the clipboard: copy it here.' : ''}
      </span>
      {copied === false && (
        <textarea
          ref={field}
          readOnly
          className="copy-fallback"
          value={text}
          rows={Math.min(12, text.split('\n').length + 1)}
          aria-label={what}
          data-testid={`${testId}-fallback`}
          onFocus={(e) => e.currentTarget.select()}
        />
      )}
    </span>
  );
}

import katex from 'katex';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';

/** Smallest scale a display formula is shrunk to before it is set as wrapping lines instead. */
export const MIN_FORMULA_SCALE = 0.7;
/** Smallest scale of the wrapped form (its longest unbreakable piece may still be too wide); below it, it scrolls. */
export const MIN_WRAPPED_SCALE = 0.5;

/**
 * A loss formula that fits its card: KaTeX display math shrunk (font-size in em, so it stays crisp and follows
 * the user's font size) to the card's width; one that would need less than MIN_FORMULA_SCALE is set in KaTeX's
 * inline mode with \displaystyle, which breaks lines after top-level relations and operators, and shrunk if a
 * piece is still too wide (down to MIN_WRAPPED_SCALE; past that it scrolls inside the card rather than running
 * out of it). Re-fitted on resize and once the KaTeX fonts have loaded (they change the widths).
 */
export function FitFormula({ latex }: { latex: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [wrap, setWrap] = useState(false);
  const html = useMemo(
    () =>
      wrap
        ? katex.renderToString(`\\displaystyle ${latex}`, { throwOnError: false, displayMode: false })
        : katex.renderToString(latex, { throwOnError: false, displayMode: true }),
    [latex, wrap],
  );
  // A new formula starts as display math again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a new formula only
  useLayoutEffect(() => setWrap(false), [latex]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-fit when the element's HTML changes
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    // The scale goes on KaTeX's own root (em of the card's formula size), so it multiplies exactly.
    const inner = el.firstElementChild as HTMLElement | null;
    const fitToCard = () => {
      if (!inner) return;
      inner.style.fontSize = '';
      // Centred display math that is too wide overflows on both sides, but scrollWidth sees only the right side:
      // measure it left-aligned.
      el.classList.add('measuring');
      const need = el.scrollWidth;
      const have = el.clientWidth;
      el.classList.remove('measuring');
      if (need <= have || have === 0) return;
      const scale = (have / need) * 0.98;
      if (!wrap && scale < MIN_FORMULA_SCALE) setWrap(true);
      else inner.style.fontSize = `${Math.max(MIN_WRAPPED_SCALE, scale)}em`;
    };
    fitToCard();
    const ro = new ResizeObserver(fitToCard);
    ro.observe(el);
    document.fonts?.addEventListener('loadingdone', fitToCard);
    void document.fonts?.ready.then(fitToCard);
    return () => {
      ro.disconnect();
      document.fonts?.removeEventListener('loadingdone', fitToCard);
    };
  }, [html]);
  return (
    <div
      ref={box}
      className={wrap ? 'formula formula-wrapped' : 'formula'}
      data-testid="formula"
      data-wrapped={wrap ? 'true' : undefined}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output of the registry's own formula strings
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

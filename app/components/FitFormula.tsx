import { useLayoutEffect, useRef } from 'react';

/** Smallest scale a formula is shrunk to; a still wider one scrolls inside the card. */
export const MIN_FORMULA_SCALE = 0.5;

/**
 * KaTeX HTML shrunk (font-size in em, so it stays crisp and keeps following the user's font size) until it fits
 * its card; re-fitted when the card changes width.
 */
export function FitFormula({ html }: { html: string }) {
  const box = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-fit when the formula (the element's HTML) changes
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const fitToCard = () => {
      el.style.fontSize = '';
      const need = el.scrollWidth;
      const have = el.clientWidth;
      if (need > have && have > 0) el.style.fontSize = `${Math.max(MIN_FORMULA_SCALE, (have / need) * 0.98)}em`;
    };
    fitToCard();
    const ro = new ResizeObserver(fitToCard);
    ro.observe(el);
    return () => ro.disconnect();
  }, [html]);
  return (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output of the registry's own formula strings
    <div ref={box} className="formula" data-testid="formula" dangerouslySetInnerHTML={{ __html: html }} />
  );
}

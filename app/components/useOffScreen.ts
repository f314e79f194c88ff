import { type RefObject, useEffect, useState } from 'react';

/**
 * Whether the element is out of the viewport now (an IntersectionObserver; false until it has answered, and where
 * there is none). What only paints pixels there (a thumbnail's canvas) can wait until it scrolls into view.
 */
export function useOffScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [offScreen, setOffScreen] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setOffScreen(!last.isIntersecting);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return offScreen;
}

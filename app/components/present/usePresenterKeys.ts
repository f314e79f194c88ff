import { useEffect } from 'react';
import { lessonStepForKey, requestLessonStep } from '../../view/lesson-keys';

function targetTag(t: EventTarget | null): string {
  const el = t as HTMLElement | null;
  if (!el?.tagName) return 'body';
  if (el.closest?.('.mask-canvas')) return 'canvas'; // arrows move the keyboard cursor there
  if (el.isContentEditable) return 'editable';
  return el.tagName.toLowerCase();
}

/** In the presenter view ←/→ ask for the previous/next lesson step (see app/view/lesson-keys.ts). */
export function usePresenterKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const delta = lessonStepForKey({ ...modifiers(e), targetTag: targetTag(e.target) });
      if (delta === null) return;
      e.preventDefault();
      requestLessonStep(delta);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function modifiers(e: KeyboardEvent) {
  return {
    key: e.key,
    altKey: e.altKey,
    ctrlKey: e.ctrlKey,
    metaKey: e.metaKey,
    shiftKey: e.shiftKey,
    defaultPrevented: e.defaultPrevented,
  };
}

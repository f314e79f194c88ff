// ←/→ in the presenter view step through a lesson. The lesson panel (built separately) listens with
// onLessonStep; the presenter only reports the key. A DOM event keeps the two sides independent.
export const LESSON_STEP_EVENT = 'segloss:lesson-step';

export interface LessonStepDetail {
  /** −1: previous step, +1: next step. */
  delta: -1 | 1;
}

export function requestLessonStep(delta: -1 | 1, target: EventTarget = window): void {
  target.dispatchEvent(new CustomEvent<LessonStepDetail>(LESSON_STEP_EVENT, { detail: { delta } }));
}

/** Calls `handler` for each step request; returns the unsubscribe function. */
export function onLessonStep(handler: (delta: -1 | 1) => void, target: EventTarget = window): () => void {
  const listener = (e: Event) => handler((e as CustomEvent<LessonStepDetail>).detail.delta);
  target.addEventListener(LESSON_STEP_EVENT, listener);
  return () => target.removeEventListener(LESSON_STEP_EVENT, listener);
}

/** The step an arrow key asks for, or null: keys typed into fields or a focused canvas (its cursor) are not steps. */
export function lessonStepForKey(e: {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  defaultPrevented: boolean;
  targetTag: string;
}): -1 | 1 | null {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  if (['input', 'textarea', 'select', 'canvas'].includes(e.targetTag) || e.targetTag === 'editable') return null;
  if (e.key === 'ArrowRight') return 1;
  if (e.key === 'ArrowLeft') return -1;
  return null;
}

// Page-wide effects of the lesson panel: ←/→ step keys, the highlighted element of the step, the controls a
// lesson link hides or locks, and recording each step's values when its results arrive.
import { useEffect } from 'react';
import { nextStep, prevStep, recordIfFresh } from '../../lessons/actions';
import { CONTROL_SELECTORS, CONTROLS, type ControlId, LOOK_SELECTORS } from '../../lessons/controls';
import { useLessons } from '../../lessons/state';
import { useStore } from '../../store';
import { onLessonStep } from '../../view/lesson-keys';

/** Focus inside these takes the arrow keys for itself (text fields, sliders, the tree, the editor canvases). */
function ownsArrowKeys(el: EventTarget | null): boolean {
  if (!(el instanceof Element)) return false;
  if (el.closest('input, textarea, select, canvas, [contenteditable="true"], [role="tree"], [role="slider"], svg'))
    return true;
  return false;
}

export function useStepKeys(): void {
  useEffect(() => {
    // In the presenter view its own key handler turns ←/→ into step requests (app/view/lesson-keys.ts).
    const offPresenter = onLessonStep((delta) => {
      if (!useLessons.getState().lesson) return;
      if (delta > 0) nextStep();
      else prevStep();
    });
    const on = (e: KeyboardEvent) => {
      if (document.querySelector('[data-testid=presenter]')) return;
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      if (!useLessons.getState().lesson || ownsArrowKeys(e.target)) return;
      e.preventDefault();
      if (e.key === 'ArrowRight') nextStep();
      else prevStep();
    };
    window.addEventListener('keydown', on);
    return () => {
      offPresenter();
      window.removeEventListener('keydown', on);
    };
  }, []);
}

export function useRecordValues(): void {
  useEffect(() => {
    recordIfFresh();
    const off1 = useStore.subscribe((s, p) => {
      if (s.resultInputs !== p.resultInputs) recordIfFresh();
    });
    const off2 = useLessons.subscribe((s, p) => {
      if (s.appliedStep !== p.appliedStep) recordIfFresh();
    });
    return () => {
      off1();
      off2();
    };
  }, []);
}

/** Adds `lesson-look` to the step's element (and its loss row); re-applied as the page re-renders. */
export function useHighlight(look: string | undefined, lookLoss: string | undefined): void {
  // Only a step that highlights something re-renders with each update.
  const updates = useStore((s) => (look || lookLoss ? s.updates : 0));
  useEffect(() => {
    void updates;
    const els: Element[] = [];
    const sel = look ? LOOK_SELECTORS[look] : undefined;
    const main = sel ? document.querySelector(sel) : null;
    if (main) els.push(main);
    if (lookLoss) {
      const row = document.querySelector(`[data-testid="loss-value"][data-loss-id="${lookLoss}"]`)?.closest('tr');
      if (row) els.push(row);
    }
    for (const el of els) el.classList.add('lesson-look');
    return () => {
      for (const el of els) el.classList.remove('lesson-look');
    };
  }, [look, lookLoss, updates]);
}

let styleInstalled = false;
/** One stylesheet, built from CONTROL_SELECTORS, that hides/locks what the <html> data attributes name. */
function installStyle(): void {
  if (styleInstalled) return;
  styleInstalled = true;
  const css = CONTROLS.map(
    (id) =>
      `html[data-lesson-hide~="${id}"] :is(${CONTROL_SELECTORS[id]}) { display: none !important; }\n` +
      `html[data-lesson-lock~="${id}"] :is(${CONTROL_SELECTORS[id]}) { pointer-events: none; opacity: 0.6; }`,
  ).join('\n');
  const style = document.createElement('style');
  style.dataset.lessonControls = '';
  style.textContent = css;
  document.head.appendChild(style);
}

/** Applies hide/lock: CSS for hiding and pointer events, `inert` for keyboard and assistive technology. */
export function useHideLock(hidden: ControlId[], locked: ControlId[]): void {
  // Re-applied after each update only while something is locked; otherwise an edit does not re-render the
  // lesson panel.
  const updates = useStore((s) => (locked.length > 0 ? s.updates : 0));
  const hideKey = hidden.join(' ');
  const lockKey = locked.join(' ');
  useEffect(() => {
    void updates;
    installStyle();
    const root = document.documentElement;
    if (hideKey) root.dataset.lessonHide = hideKey;
    else delete root.dataset.lessonHide;
    if (lockKey) root.dataset.lessonLock = lockKey;
    else delete root.dataset.lessonLock;
    const inert: HTMLElement[] = [];
    for (const id of lockKey ? (lockKey.split(' ') as ControlId[]) : []) {
      for (const el of document.querySelectorAll<HTMLElement>(CONTROL_SELECTORS[id])) {
        if (!el.inert) {
          el.inert = true;
          inert.push(el);
        }
      }
    }
    return () => {
      for (const el of inert) el.inert = false;
    };
  }, [hideKey, lockKey, updates]);
}

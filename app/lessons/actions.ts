// Lesson actions: load the index and lessons (public/lessons/), move between steps (applying each step's state),
// record the loss values each step produced, and keep `?lesson=ID&step=N` in the address bar. The presenter view
// can call nextStep()/prevStep() for its own ←/→.

import { fetchPreset, type LoadedPreset } from '../io/presets';
import { errorMessage, quote } from '../messages';
import { useStore } from '../store';
import { applyStepState } from './apply';
import { applyStepPanels } from './panels';
import { LessonError, parseLesson, parseLessonIndex } from './schema';
import { openedLesson, useLessons } from './state';
import { parseLessonLink, withLessonQuery } from './url';

const BASE = './lessons/';
const presets = new Map<string, Promise<LoadedPreset>>();

function preset(id: string): Promise<LoadedPreset> {
  let p = presets.get(id);
  if (!p) {
    p = fetchPreset(`${id}.json`);
    p.catch(() => presets.delete(id));
    presets.set(id, p);
  }
  return p;
}

async function fetchJson(file: string): Promise<unknown> {
  const r = await fetch(`${BASE}${file}`);
  if (!r.ok) throw new LessonError(`${file}: HTTP ${r.status}`);
  try {
    return await r.json();
  } catch (e) {
    throw new LessonError(`${file}: not valid JSON (${errorMessage(e)})`);
  }
}

function syncUrl(): void {
  if (typeof window === 'undefined') return;
  const { lesson, step, hide, lock, untilAnswer } = useLessons.getState();
  const href = withLessonQuery(window.location.href, { lesson: lesson?.id ?? null, step, hide, lock, untilAnswer });
  if (href !== window.location.href) window.history.replaceState(window.history.state, '', href);
}

let applying = 0;

/** Shows step `i` of the open lesson: applies its state (one undo entry for the masks) and updates the URL. */
export async function goToStep(i: number): Promise<void> {
  const { lesson } = useLessons.getState();
  if (!lesson) return;
  const step = Math.max(0, Math.min(lesson.steps.length - 1, i));
  const ticket = ++applying;
  useLessons.setState({ step, appliedStep: null, error: null });
  syncUrl();
  const st = lesson.steps[step]?.state;
  try {
    const p = st?.preset ? await preset(st.preset) : null;
    if (ticket !== applying) return; // a later step was asked for meanwhile
    applyStepState(st, p);
    applyStepPanels(lesson.steps[step]);
    useLessons.setState({ appliedStep: step });
  } catch (e) {
    if (ticket !== applying) return;
    useLessons.setState({
      error: `Step ${step + 1} of ${quote(lesson.title, 80)} could not be loaded: ${errorMessage(e)}`,
    });
  }
}

export function nextStep(): void {
  const { lesson, step } = useLessons.getState();
  if (lesson && step < lesson.steps.length - 1) void goToStep(step + 1);
}

export function prevStep(): void {
  const { lesson, step } = useLessons.getState();
  if (lesson && step > 0) void goToStep(step - 1);
}

export async function loadIndex(): Promise<void> {
  if (useLessons.getState().index) return;
  try {
    useLessons.setState({ index: parseLessonIndex(await fetchJson('index.json')), indexError: null });
  } catch (e) {
    useLessons.setState({ indexError: `The list of lessons could not be loaded: ${errorMessage(e)}` });
  }
}

/** Opens lesson `id` at step `step` (0-based); a step beyond the lesson shows step 1 and says so. */
export async function openLesson(id: string, step = 0): Promise<void> {
  await loadIndex();
  const { index } = useLessons.getState();
  if (!index) return;
  const entry = index.find((e) => e.id === id);
  if (!entry) {
    useLessons.setState({
      lesson: null,
      error: `There is no lesson ${quote(id)}. Lessons: ${index.map((e) => e.id).join(', ')}.`,
    });
    syncUrl();
    return;
  }
  useLessons.setState({ loadingId: id, error: null });
  try {
    const lesson = parseLesson(await fetchJson(entry.file), `lessons/${entry.file}`);
    let at = step;
    if (step >= lesson.steps.length) {
      useLessons.setState((s) => ({
        linkProblems: [
          ...s.linkProblems,
          `step: lesson ${quote(id)} has ${lesson.steps.length} steps, there is no step ${step + 1}; showing step 1`,
        ],
      }));
      at = 0;
    }
    useLessons.setState(openedLesson(lesson, at));
    await goToStep(at);
  } catch (e) {
    useLessons.setState({ lesson: null, loadingId: null, error: `This lesson cannot be shown: ${errorMessage(e)}` });
  }
}

export function closeLesson(): void {
  applying++;
  useLessons.setState({ lesson: null, error: null, appliedStep: null, loadingId: null });
  syncUrl();
}

export function setChoice(step: number, choice: number): void {
  useLessons.setState((s) => ({ choices: { ...s.choices, [step]: choice } }));
}

export function reveal(step: number): void {
  useLessons.setState((s) => ({ revealed: { ...s.revealed, [step]: true } }));
}

/** Records the current results for the applied step once they belong to its state (called on every result). */
export function recordIfFresh(): void {
  const l = useLessons.getState();
  if (!l.lesson || l.appliedStep !== l.step) return;
  const s = useStore.getState();
  const inp = s.resultInputs;
  if (
    !inp ||
    inp.logits !== s.logits ||
    inp.target !== s.target ||
    inp.params !== s.params ||
    inp.enabled !== s.enabled
  )
    return;
  const values = Object.fromEntries(Object.entries(s.results).map(([id, r]) => [id, r?.value ?? null]));
  useLessons.setState((cur) => ({ recorded: { ...cur.recorded, [l.step]: { values } } }));
}

/** True when the results on screen were computed from the current masks, parameters and enabled losses. */
export function resultsFresh(): boolean {
  const s = useStore.getState();
  const inp = s.resultInputs;
  return (
    !!inp && inp.logits === s.logits && inp.target === s.target && inp.params === s.params && inp.enabled === s.enabled
  );
}

/** Reads ?lesson=…&step=…&hide=…&lock=…&until=… once at start-up. */
export async function startLessonsFromUrl(search: string): Promise<void> {
  const link = parseLessonLink(search);
  useLessons.setState({
    hide: link.hide,
    lock: link.lock,
    untilAnswer: link.untilAnswer,
    linkProblems: link.problems,
  });
  await loadIndex();
  if (link.lesson) await openLesson(link.lesson, link.step);
}

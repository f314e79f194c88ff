// Lesson links: `?lesson=ID&step=N` (N counts from 1, as the panel shows it) plus the teacher's classroom
// options `hide=table,heatmap` and `lock=editors` (controls from CONTROLS) and `until=answer` (hidden controls come
// back once the step's question is revealed). A share hash (#share=v1…) may follow for "the current state" links;
// its own versioning (app/share/link.ts) is untouched, so old links keep working. Pure: parses strings.
import { CONTROLS, type ControlId } from './controls';

export interface LessonLink {
  lesson: string | null;
  /** 0-based step index. */
  step: number;
  hide: ControlId[];
  lock: ControlId[];
  untilAnswer: boolean;
}

export interface ParsedLessonLink extends LessonLink {
  /** What was wrong with the parameters (each ignored), for a notice. */
  problems: string[];
}

const MAX_SHOWN = 40;
const cut = (s: string) => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s);

function controlList(raw: string | null, what: string, problems: string[]): ControlId[] {
  if (!raw) return [];
  const out: ControlId[] = [];
  for (const part of raw.split(',')) {
    if (!part) continue;
    if ((CONTROLS as readonly string[]).includes(part)) {
      if (!out.includes(part as ControlId)) out.push(part as ControlId);
    } else problems.push(`${what}: unknown control '${cut(part)}' (known: ${CONTROLS.join(', ')})`);
  }
  return out;
}

/** Reads the lesson parameters of a query string. Step validity against the lesson is checked once it loads. */
export function parseLessonLink(search: string): ParsedLessonLink {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const lessonRaw = q.get('lesson');
  let lesson: string | null = null;
  if (lessonRaw !== null) {
    if (/^[a-z0-9][a-z0-9-]{0,40}$/.test(lessonRaw)) lesson = lessonRaw;
    else problems.push(`lesson: '${cut(lessonRaw)}' is not a lesson id`);
  }
  let step = 0;
  const stepRaw = q.get('step');
  if (stepRaw !== null) {
    if (/^\d{1,3}$/.test(stepRaw) && Number(stepRaw) >= 1) step = Number(stepRaw) - 1;
    else problems.push(`step: '${cut(stepRaw)}' is not a step number (1, 2, …); showing step 1`);
  }
  const hide = controlList(q.get('hide'), 'hide', problems);
  const lock = controlList(q.get('lock'), 'lock', problems);
  const until = q.get('until');
  if (until !== null && until !== 'answer') problems.push(`until: only 'answer' is understood, not '${cut(until)}'`);
  return { lesson, step, hide, lock, untilAnswer: until === 'answer', problems };
}

/** The query string (without '?') for a lesson link; parameters that are empty are left out. */
export function lessonQuery(link: LessonLink): string {
  const q = new URLSearchParams();
  if (link.lesson) {
    q.set('lesson', link.lesson);
    q.set('step', String(link.step + 1));
  }
  if (link.hide.length) q.set('hide', link.hide.join(','));
  if (link.lock.length) q.set('lock', link.lock.join(','));
  if (link.untilAnswer && link.hide.length) q.set('until', 'answer');
  return q.toString().replaceAll('%2C', ',');
}

/** Replaces the lesson parameters of `href`, keeping every other parameter and the hash. */
export function withLessonQuery(href: string, link: LessonLink): string {
  const url = new URL(href);
  for (const k of ['lesson', 'step', 'hide', 'lock', 'until']) url.searchParams.delete(k);
  const extra = lessonQuery(link);
  const rest = url.searchParams.toString();
  url.search = [rest, extra].filter(Boolean).join('&');
  return url.href;
}

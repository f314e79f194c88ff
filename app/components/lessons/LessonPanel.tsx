// The guided-lessons panel: the list of lessons, the open lesson's step (Markdown + KaTeX text, the state it
// loads, what to look at, an optional predict-then-reveal question), step navigation with buttons and ←/→,
// progress, and the lesson-link builder. Lesson and step live in the URL (?lesson=ID&step=N).
import { useEffect, useMemo } from 'react';
import { closeLesson, goToStep, loadIndex, openLesson, startLessonsFromUrl } from '../../lessons/actions';
import { CONTROL_LABELS, LOOK_SELECTORS } from '../../lessons/controls';
import { renderLessonMarkdown } from '../../lessons/markdown';
import { useLessons } from '../../lessons/state';
import { HdEmptyNote } from './HdEmptyNote';
import { LessonLinkBuilder } from './LessonLinkBuilder';
import { LessonQuestion } from './LessonQuestion';
import { StepRun } from './StepRun';
import { useHideLock, useHighlight, useRecordValues, useStepKeys } from './useClassroomEffects';
import './lessons.css';

let started = false;

function LessonList() {
  const index = useLessons((s) => s.index);
  const current = useLessons((s) => s.lesson?.id ?? s.loadingId);
  if (!index) return null;
  return (
    <ol className="lesson-list">
      {index.map((e) => (
        <li key={e.id}>
          <button
            type="button"
            data-testid="lesson-list-item"
            data-lesson-id={e.id}
            aria-current={current === e.id ? 'true' : undefined}
            onClick={() => void openLesson(e.id, 0)}
          >
            {e.title}
          </button>
        </li>
      ))}
    </ol>
  );
}

function StepView() {
  const lesson = useLessons((s) => s.lesson);
  const stepIndex = useLessons((s) => s.step);
  const applied = useLessons((s) => s.appliedStep === s.step);
  const step = lesson?.steps[stepIndex];
  const html = useMemo(() => (step ? renderLessonMarkdown(step.text) : ''), [step]);
  useHighlight(step?.look, step?.lookLoss);
  if (!lesson || !step) return null;
  const n = lesson.steps.length;
  return (
    <div
      className="lesson-step"
      data-testid="lesson-step"
      data-step={stepIndex + 1}
      data-lesson-id={lesson.id}
      data-applied={applied ? 'true' : 'false'}
    >
      <h3>
        {lesson.title}{' '}
        <button type="button" className="link" onClick={closeLesson} data-testid="lesson-close">
          close
        </button>
      </h3>
      <div className="lesson-progress">
        <progress max={n} value={stepIndex + 1} aria-label="Lesson progress" />{' '}
        <span data-testid="lesson-progress">
          Step {stepIndex + 1} of {n}
        </span>
      </div>
      <h4>{step.title}</h4>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html: false (raw HTML escaped) and KaTeX output */}
      <div className="lesson-text" dangerouslySetInnerHTML={{ __html: html }} />
      {step.look && LOOK_SELECTORS[step.look] && (
        <p className="lesson-look-hint muted">
          Look at the highlighted {step.look.replace('-', ' ')}
          {step.lookLoss ? ` and the ${step.lookLoss} row` : ''}.
        </p>
      )}
      <StepRun step={step} index={stepIndex} />
      {step.question && <LessonQuestion key={`${lesson.id}-${stepIndex}`} question={step.question} step={stepIndex} />}
      <nav className="lesson-nav" aria-label="Lesson steps">
        <button
          type="button"
          data-testid="lesson-prev"
          disabled={stepIndex === 0}
          onClick={() => void goToStep(stepIndex - 1)}
        >
          ← Previous
        </button>
        <button
          type="button"
          data-testid="lesson-next"
          disabled={stepIndex >= n - 1}
          onClick={() => void goToStep(stepIndex + 1)}
        >
          Next →
        </button>
        <span className="muted"> (or ← / → keys)</span>
      </nav>
    </div>
  );
}

export function LessonPanel() {
  const error = useLessons((s) => s.error);
  const indexError = useLessons((s) => s.indexError);
  const problems = useLessons((s) => s.linkProblems);
  const loadingId = useLessons((s) => s.loadingId);
  const hide = useLessons((s) => s.hide);
  const lock = useLessons((s) => s.lock);
  const untilAnswer = useLessons((s) => s.untilAnswer);
  const lesson = useLessons((s) => s.lesson);
  const step = useLessons((s) => s.step);
  const revealed = useLessons((s) => !!s.revealed[s.step]);
  useStepKeys();
  useRecordValues();
  // "Until answered": hidden while the current step has a question that is not revealed yet.
  const hiddenNow = untilAnswer && (!lesson?.steps[step]?.question || revealed) ? [] : hide;
  useHideLock(hiddenNow, lock);
  useEffect(() => {
    if (started) return;
    started = true;
    void (window.location.search ? startLessonsFromUrl(window.location.search) : loadIndex());
  }, []);

  return (
    // Without an open lesson the panel is one compact row (title, lesson chips, link builder), so the editors and
    // the values stay on the first screen.
    <section
      className={`panel lesson-panel${lesson ? '' : ' lesson-panel-compact'}`}
      aria-labelledby="lesson-title"
      data-testid="lesson-panel"
    >
      <h2 id="lesson-title">Guided lessons</h2>
      {problems.length > 0 && (
        <div role="alert" className="lesson-problems" data-testid="lesson-link-problem">
          The lesson link has problems (ignored): {problems.join('; ')}.
        </div>
      )}
      {indexError && (
        <p role="alert" className="error" data-testid="lesson-error">
          {indexError}
        </p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="lesson-error">
          {error}
        </p>
      )}
      {loadingId && !lesson && <p className="muted">Loading the lesson…</p>}
      {lesson ? <StepView /> : <LessonList />}
      {hiddenNow.length + lock.length > 0 && (
        <p className="muted" data-testid="lesson-hidden-note">
          {hiddenNow.length > 0 &&
            `Hidden by the lesson link${untilAnswer ? ' until you reveal the answer' : ''}: ${hiddenNow.map((h) => CONTROL_LABELS[h]).join(', ')}. `}
          {lock.length > 0 && `Locked: ${lock.map((h) => CONTROL_LABELS[h]).join(', ')}.`}
        </p>
      )}
      <HdEmptyNote />
      <LessonLinkBuilder />
    </section>
  );
}

// Predict-then-reveal: the student picks an option, commits with "Reveal", and only then sees the answer, which
// is computed from the live results (or the values recorded at an earlier step) — never stored in the lesson.

import { formatNumber } from '../../format-number';
import { resultsFresh, reveal, setChoice } from '../../lessons/actions';
import { computeAnswer, operandsOf } from '../../lessons/answer';
import { stepLineValues, stepRaceValues } from '../../lessons/panels';
import type { LessonQuestion as Question } from '../../lessons/schema';
import { useLessons } from '../../lessons/state';
import { useRace } from '../../race/state';
import { useStore } from '../../store';
import { useNamed } from '../landscape/named-state';

export function LessonQuestion({ question, step }: { question: Question; step: number }) {
  const choice = useLessons((s) => s.choices[step]);
  const revealed = useLessons((s) => !!s.revealed[step]);
  const recorded = useLessons((s) => s.recorded);
  const applied = useLessons((s) => s.appliedStep === step);
  // Re-render on every new result, and read freshness from the store.
  const results = useStore((s) => s.results);
  useStore((s) => s.resultInputs);
  // The step's race and landscape results (null until they ran with the step's settings on these masks).
  const lessonStep = useLessons((s) => s.lesson?.steps[step]);
  useRace((s) => s.trajectory);
  useNamed((s) => s.result);
  const race = stepRaceValues(lessonStep);
  const line = stepLineValues(lessonStep);
  const fresh = applied && resultsFresh();
  const ops = operandsOf(question);
  const current = Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r?.value ?? null]));
  const recordedValues = Object.fromEntries(Object.entries(recorded).map(([k, r]) => [k, r.values]));
  const answer = fresh ? computeAnswer(question, { current, recorded: recordedValues, race, line }) : null;
  return (
    <fieldset className="lesson-question" data-testid="lesson-question" data-kind={question.kind}>
      <legend>{question.kind === 'larger' ? 'Predict: which is larger?' : 'Predict'}</legend>
      <p>{question.prompt}</p>
      <div className="lesson-answers">
        {ops.map((op, i) => (
          <button
            type="button"
            key={`${op.label}-${op.loss}`}
            aria-pressed={choice === i}
            className={choice === i ? 'chosen' : ''}
            data-testid="lesson-answer"
            data-index={i}
            disabled={revealed}
            onClick={() => setChoice(step, i)}
          >
            {op.label}
          </button>
        ))}
      </div>
      {!revealed ? (
        <button
          type="button"
          className="lesson-reveal-button"
          data-testid="lesson-reveal"
          data-state="hidden"
          disabled={choice === undefined}
          onClick={() => reveal(step)}
          title={choice === undefined ? 'Pick an answer first' : 'Commit to your answer and see the computed one'}
        >
          Reveal the answer
        </button>
      ) : (
        <div
          className="lesson-revealed"
          role="status"
          data-testid="lesson-reveal"
          data-state={answer ? (answer.ok ? 'answer' : 'no-answer') : 'computing'}
          data-correct={answer?.ok ? answer.correct : undefined}
          data-values={answer?.ok ? JSON.stringify(answer.values) : undefined}
        >
          {!answer ? (
            <p>Computing the values for this step…</p>
          ) : !answer.ok ? (
            <p>No answer can be computed right now: {answer.reason}.</p>
          ) : (
            <>
              <p>
                <strong>{answer.correct === choice ? 'Right' : 'Not quite'}:</strong> {answer.labels[answer.correct]} is{' '}
                {question.kind === 'larger' ? 'larger' : `the ${question.pick === 'smallest' ? 'smallest' : 'largest'}`}
                .
              </p>
              <ul className="lesson-values">
                {answer.labels.map((label, i) => (
                  <li key={label} className={i === answer.correct ? 'correct' : ''}>
                    {label}: <span className="num">{formatNumber(answer.values[i], 4)}</span>
                  </li>
                ))}
              </ul>
              <p className="muted">
                Computed now from{' '}
                {ops.some((o) => o.race !== undefined)
                  ? 'the race result'
                  : ops.some((o) => o.at !== undefined || o.drop)
                    ? 'the landscape'
                    : 'the values in the table'}
                {ops.some((o) => o.step !== undefined) ? ' and those recorded at earlier steps' : ''}.
              </p>
              {question.explain && <p>{question.explain}</p>}
            </>
          )}
        </div>
      )}
    </fieldset>
  );
}

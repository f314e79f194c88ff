// Lesson-link builder for teachers: a lesson step (or the current state as a share link), controls to hide or
// lock, optionally hidden only until the step's question is revealed; the link to copy and its QR code.
import { useEffect, useState } from 'react';
import { CONTROL_LABELS, CONTROLS, type ControlId } from '../../lessons/controls';
import { useLessons } from '../../lessons/state';
import { withLessonQuery } from '../../lessons/url';
import { errorMessage } from '../../messages';
import { shareLinksNow } from '../../share/store-link';
import { CopyText } from '../CopyText';
import { QrCode } from './QrCode';

type Source = 'lesson' | 'state';

function ControlBoxes(props: { what: string; picked: ControlId[]; onChange(next: ControlId[]): void }) {
  return (
    <fieldset className="lesson-controls">
      <legend>{props.what}</legend>
      {CONTROLS.map((id) => (
        <label key={id}>
          <input
            type="checkbox"
            checked={props.picked.includes(id)}
            data-testid={`link-${props.what.split(' ')[0]?.toLowerCase()}-${id}`}
            onChange={(e) =>
              props.onChange(e.target.checked ? [...props.picked, id] : props.picked.filter((x) => x !== id))
            }
          />{' '}
          {CONTROL_LABELS[id]}
        </label>
      ))}
    </fieldset>
  );
}

export function LessonLinkBuilder() {
  const index = useLessons((s) => s.index);
  const open = useLessons((s) => s.lesson);
  const openStep = useLessons((s) => s.step);
  const [source, setSource] = useState<Source>('lesson');
  const [lessonId, setLessonId] = useState<string>(open?.id ?? index?.[0]?.id ?? '');
  const [step, setStep] = useState(open ? openStep : 0);
  const [hide, setHide] = useState<ControlId[]>([]);
  const [lock, setLock] = useState<ControlId[]>([]);
  const [untilAnswer, setUntilAnswer] = useState(false);
  const [stateLink, setStateLink] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const steps = open && open.id === lessonId ? open.steps.length : null;

  useEffect(() => {
    if (!lessonId && index?.[0]) setLessonId(index[0].id);
  }, [index, lessonId]);

  async function takeState() {
    setNote(null);
    try {
      const links = await shareLinksNow(window.location.href);
      setStateLink(links.tooLong ? links.withoutMasks : links.full);
      if (links.tooLong) setNote('The masks make the link too long: it carries the settings only.');
      else if (links.rounded)
        setNote('The prediction was rounded to the 8 bits per class the link stores (Undo reverts).');
    } catch (e) {
      setNote(`Could not make a link: ${errorMessage(e)}`);
    }
  }

  const base = (source === 'state' ? stateLink : null) ?? window.location.href.split('#')[0] ?? '';
  const cleanBase = withLessonQuery(base.split('#')[0]!, {
    lesson: null,
    step: 0,
    hide: [],
    lock: [],
    untilAnswer: false,
  });
  const link =
    source === 'state' && !stateLink
      ? ''
      : withLessonQuery(cleanBase, {
          lesson: source === 'lesson' ? lessonId : null,
          step,
          hide,
          lock,
          untilAnswer: source === 'lesson' && untilAnswer,
        }) + (source === 'state' && stateLink ? `#${stateLink.split('#')[1] ?? ''}` : '');

  return (
    <details className="lesson-link-builder" data-testid="lesson-link-builder">
      <summary>Lesson link for your class…</summary>
      <fieldset className="seg">
        <legend>Link to</legend>
        <label>
          <input type="radio" checked={source === 'lesson'} onChange={() => setSource('lesson')} /> a lesson step
        </label>{' '}
        <label>
          <input
            type="radio"
            checked={source === 'state'}
            data-testid="link-source-state"
            onChange={() => {
              setSource('state');
              void takeState();
            }}
          />{' '}
          the current state (masks and settings)
        </label>
      </fieldset>
      {source === 'lesson' ? (
        <p>
          <label>
            Lesson{' '}
            <select value={lessonId} onChange={(e) => setLessonId(e.target.value)} data-testid="link-lesson">
              {(index ?? []).map((e) => (
                <option key={e.id} value={e.id}>
                  {e.title}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            step{' '}
            <input
              type="number"
              min={1}
              max={steps ?? 30}
              value={step + 1}
              data-testid="link-step"
              onChange={(e) => {
                const n = Math.round(Number(e.target.value));
                if (Number.isFinite(n)) setStep(Math.max(0, Math.min((steps ?? 30) - 1, n - 1)));
              }}
            />
          </label>
        </p>
      ) : (
        <p>
          <button type="button" onClick={() => void takeState()}>
            Take the current state again
          </button>
        </p>
      )}
      <ControlBoxes what="Hide" picked={hide} onChange={setHide} />
      <label>
        <input
          type="checkbox"
          checked={untilAnswer}
          disabled={!hide.length || source === 'state'}
          data-testid="link-until-answer"
          onChange={(e) => setUntilAnswer(e.target.checked)}
        />{' '}
        hidden only until the step's question is answered
      </label>
      <ControlBoxes what="Lock (visible, not editable)" picked={lock} onChange={setLock} />
      {note && <p className="muted">{note}</p>}
      {link && (
        <>
          <input
            className="lesson-link-url"
            readOnly
            value={link}
            data-testid="lesson-link-url"
            aria-label="Lesson link"
          />
          <CopyText text={link} label="Copy link" what="lesson link" testId="lesson-link" />
          <QrCode text={link} />
        </>
      )}
    </details>
  );
}

// Lesson runtime state (its own small zustand store, outside the app store so that lessons are never saved with
// the session): the index, the open lesson and step, the student's choices and reveals, the loss values recorded
// at each step (for questions that compare with an earlier step), and the teacher's hide/lock options.
import { create } from 'zustand';
import type { LossId } from '../../src';
import type { ControlId } from './controls';
import type { Lesson, LessonIndexEntry } from './schema';

export interface StepRecord {
  values: Partial<Record<LossId, number | null>>;
}

export interface LessonRuntime {
  index: LessonIndexEntry[] | null;
  indexError: string | null;
  lesson: Lesson | null;
  /** Lesson being fetched, or whose file failed (with `error`). */
  loadingId: string | null;
  error: string | null;
  step: number;
  /** Set once the step's state is applied; the step's values are recorded when results for it are in. */
  appliedStep: number | null;
  choices: Record<number, number>;
  revealed: Record<number, boolean>;
  recorded: Record<number, StepRecord>;
  hide: ControlId[];
  lock: ControlId[];
  untilAnswer: boolean;
  /** Problems with the URL's lesson parameters, shown as a notice in the panel. */
  linkProblems: string[];
}

export const useLessons = create<LessonRuntime>()(() => ({
  index: null,
  indexError: null,
  lesson: null,
  loadingId: null,
  error: null,
  step: 0,
  appliedStep: null,
  choices: {},
  revealed: {},
  recorded: {},
  hide: [],
  lock: [],
  untilAnswer: false,
  linkProblems: [],
}));

/** Starts a lesson: fresh choices, reveals and records. */
export function openedLesson(lesson: Lesson, step: number): Partial<LessonRuntime> {
  return { lesson, loadingId: null, error: null, step, appliedStep: null, choices: {}, revealed: {}, recorded: {} };
}

// Wording helpers for messages shown to the user. Pure: no DOM, no store.

/** The message of anything thrown (the library's helper, re-exported for the app). */
export { errorMessage } from '../src';

/**
 * User-supplied text (a link's version, a saved loss id, a file name) quoted for a message, cut to `max`
 * characters: a hostile 4 MB string must not be copied whole into an alert.
 */
export function quote(text: unknown, max = 40): string {
  const s = String(text);
  return `'${s.length > max ? `${s.slice(0, max)}…' (${s.length} characters)` : `${s}'`}`;
}

/** Longest notice the page shows; longer texts are cut with an ellipsis (a last line of defence). */
export const MAX_NOTICE_LENGTH = 600;

export function boundNotice(text: string): string {
  return text.length > MAX_NOTICE_LENGTH ? `${text.slice(0, MAX_NOTICE_LENGTH - 1)}…` : text;
}

/** Upload problems the explorer reports to the user (shown in a role="alert" element; masks stay untouched). */
export type UploadErrorKind =
  | 'wrong-type'
  | 'corrupt'
  | 'size-mismatch'
  | 'too-many-classes'
  | 'too-large'
  | 'not-greyscale'
  | 'bad-values';

export class UploadError extends Error {
  constructor(
    readonly kind: UploadErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** Largest side the explorer accepts without downsampling. */
export const MAX_SIDE = 512;

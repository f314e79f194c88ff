// Faults of the compute engine that would otherwise freeze the app: what they are, how they are recognised
// and what the user is told. The supervisor (resilient-host.ts) restarts the engine on each of them.

export type FaultKind =
  /** The WebGL context where the maths runs was lost (GPU reset, driver, too many contexts …). */
  | 'context-lost'
  /** The compute worker ended (self.close(), a renderer crash, killed for memory). */
  | 'worker-died'
  /** An uncaught error in the compute worker after it started. */
  | 'worker-error'
  /** The worker answered no message for a long time while a call was pending. */
  | 'unresponsive'
  /** The WASM engine aborted (Aborted(), memory access out of bounds, any WebAssembly RuntimeError). */
  | 'engine-abort'
  /** The worker script did not load (404, network, syntax): the page computes on its own thread instead. */
  | 'load-failed';

export interface EngineFault {
  kind: FaultKind;
  /** The browser's or the engine's own words, for the notice. */
  detail: string;
}

/** Pending calls of an engine that faulted reject with this (not an update failure of the inputs). */
export class EngineFaultError extends Error {
  constructor(readonly fault: EngineFault) {
    super(`the compute engine stopped (${describeFault(fault)})`);
    this.name = 'EngineFaultError';
  }
}

/** Pending calls of a worker whose script did not load: the supervisor replays them on the page's own engine. */
export class WorkerLoadError extends Error {
  constructor(detail: string) {
    super(`the compute worker did not load (${detail})`);
    this.name = 'WorkerLoadError';
  }
}

const ABORT = /\bAborted\(|memory access out of bounds|RuntimeError|unreachable (code should not be )?executed/i;

/**
 * True for errors after which the WASM engine's memory can no longer be trusted: every later call would fail
 * or, worse, compute on corrupted memory. Accepts an error or its message (results cross the worker as text).
 */
export function isEngineAbort(e: unknown): boolean {
  if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) return true;
  const text = e instanceof Error ? `${e.name}: ${e.message}` : typeof e === 'string' ? e : '';
  return ABORT.test(text);
}

/** What happened, in the user's words (the start of a notice). */
export function describeFault(fault: EngineFault): string {
  const f = { ...fault, detail: fault.detail.replace(/[.\s]+$/, '') };
  switch (f.kind) {
    case 'context-lost':
      return 'the WebGL context was lost';
    case 'worker-died':
      return 'the compute worker stopped';
    case 'worker-error':
      return `the compute worker crashed: ${f.detail}`;
    case 'unresponsive':
      return `the compute worker stopped answering (${f.detail})`;
    case 'engine-abort':
      return `the WASM engine aborted: ${f.detail}`;
    case 'load-failed':
      return `the compute worker did not load (${f.detail})`;
  }
}

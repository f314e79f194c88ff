// Faults on purpose for the browser tests (e2e/faults-*.e2e.test.ts): `window.__seglossTest`, installed only
// when the page's URL has `?testHooks=1`. Without it nothing here runs and the app never sends a test hook.
import type { TestHook } from './host';

export interface TestHooks {
  /** Loses the WebGL context where the maths runs (WEBGL_lose_context). */
  loseContext(): void;
  /** The next compute fails as if the WASM engine had aborted ("Aborted()"). */
  abortNext(): void;
  /** The compute worker calls self.close(). */
  closeWorker(): void;
  /** The compute worker throws an uncaught error (its `error` event). */
  crashWorker(): void;
}

export function installTestHooks(host: { testHook(hook: TestHook): void }, search: string): void {
  if (new URLSearchParams(search).get('testHooks') !== '1') return;
  const hooks: TestHooks = {
    loseContext: () => host.testHook('loseContext'),
    abortNext: () => host.testHook('abortNext'),
    closeWorker: () => host.testHook('close'),
    crashWorker: () => host.testHook('crash'),
  };
  Object.assign(window, { __seglossTest: hooks });
}

// Node side of the golden runner page (e2e/golden.html → e2e/golden-page.ts): typed wrappers over
// `window.seglossGolden`, used by scripts/golden.ts, scripts/golden-all.ts, scripts/bench.ts and e2e tests.
import type { Browser } from 'playwright-core';
import type { BenchOptions, BenchRow } from '../../src/golden/bench';
import type { CaseResult } from '../../src/golden/check';
import type { BackendInfo, GoldenInput, GoldenPageApi, PageBackend } from '../golden-page';
import { type OpenedPage, openPage } from './page';

export type { BackendInfo, GoldenInput, PageBackend };

export interface GoldenPage extends OpenedPage {
  /** Switches the page's TF.js backend; rejects (with the renderer string) unless it really is `name`. */
  setBackend(name: PageBackend): Promise<BackendInfo>;
  /** Runs golden files (name + JSON text) on the page's current backend, one file per round trip. */
  runGolden(files: GoldenInput[]): Promise<CaseResult[]>;
  bench(opts?: Partial<BenchOptions>): Promise<BenchRow[]>;
  /** Loads InverseForm's network in the page (default: the copy shipped in public/models/inverseform). */
  loadInverseFormNet(url?: string): Promise<void>;
  numTensors(): Promise<number>;
  /** The non-finite-logits errors of computeLoss, lossAndGrad and the engine on the page's backend (issue 14). */
  nonFiniteErrors(): Promise<ReturnType<GoldenPageApi['nonFiniteErrors']>>;
  /** The explorer's example at `size` on the page's current backend, kept in the page (e2e/example-reference.ts). */
  makeExampleReference(size: number): Promise<number>;
  /** Checks the kept example files on the page's current backend. */
  checkExampleReference(): Promise<CaseResult[]>;
}

/**
 * Opens `${baseUrl}/e2e/golden.html` (+ `query`, e.g. '?shapesUniforms=1') in a fresh context and waits until
 * its API is ready (or its start-up failed).
 */
export async function openGoldenPage(browser: Browser, baseUrl: string, echo = false, query = ''): Promise<GoldenPage> {
  const opened = await openPage(browser, `${baseUrl}/e2e/golden.html${query}`, { echo });
  const { page } = opened;
  await page
    .waitForFunction(() => window.seglossGolden?.ready === true || window.seglossGoldenError !== undefined, null, {
      timeout: 60_000,
    })
    .catch((e: Error) => {
      throw new Error(`golden page did not start: ${e.message}\n${opened.errors.join('\n')}`);
    });
  const startError = await page.evaluate(() => window.seglossGoldenError);
  if (startError) throw new Error(`golden page failed to start: ${startError}`);
  return {
    ...opened,
    setBackend: (name) => page.evaluate((n) => window.seglossGolden!.setBackend(n), name),
    async runGolden(files) {
      const out: CaseResult[] = [];
      for (const f of files) out.push(...(await page.evaluate((one) => window.seglossGolden!.runGolden([one]), f)));
      return out;
    },
    bench: (opts) => page.evaluate((o) => window.seglossGolden!.bench(o), opts ?? {}),
    loadInverseFormNet: (url) => page.evaluate((u) => window.seglossGolden!.loadInverseFormNet(u), url),
    numTensors: () => page.evaluate(() => window.seglossGolden!.numTensors()),
    nonFiniteErrors: () => page.evaluate(() => window.seglossGolden!.nonFiniteErrors()),
    makeExampleReference: (size) => page.evaluate((n) => window.seglossGolden!.makeExampleReference(n), size),
    checkExampleReference: () => page.evaluate(() => window.seglossGolden!.checkExampleReference()),
  };
}

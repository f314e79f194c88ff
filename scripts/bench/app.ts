// `npm run bench -- --app`: the explorer itself, timed in headless Chromium (a script, never a test).
// Serves the built app with `vite preview` (the COOP/COEP headers of `npm start`, so the threaded SIMD WASM
// binary can run), opens it, and for each grid size (64², 128², 256², C = 2, all enabled losses) applies edits
// to the prediction through the store, as a stroke's end does, and measures inside the page:
//   edit → focused: until the focused loss's value on screen and the gradient heatmap belong to the edit's state
//                   (data-version = the new state version, no data-stale);
//   edit → all:     until every shown loss value belongs to it and the table is no longer aria-busy.
// Median of `reps` edits after `warmup` untimed ones (firstMs is the first of those, right after the resize): the
// page's JIT and the engine's first allocations warm up in the first edits after a load or a resize, which would
// otherwise bill the first size measured for them.
import type { Page } from 'playwright-core';
import { openExplorer } from './explorer-session';
import type { BenchReportRow } from './report';

export interface AppBenchOptions {
  sizes: number[];
  reps: number;
  /** Untimed edits before the timed ones, at each size (the first gives firstMs). */
  warmup: number;
  /** A built app to serve instead of this checkout's (e.g. an older commit's dist, for before/after). */
  dist?: string;
  /**
   * Start editing the moment the page is ready, without first letting the engine's background JIT warm-up finish
   * (app/compute/jit-warm-up.ts; by default the bench waits for it, as a user who looks at the page first would).
   */
  cold?: boolean;
}

export const DEFAULT_APP_BENCH: AppBenchOptions = { sizes: [64, 128, 256], reps: 7, warmup: 5 };

interface EditTiming {
  focusedMs: number;
  allMs: number;
}

/** One edit in the page: flips the sign of a band of class-0 logits, then waits for the screen to catch up. */
export async function timedEdit(page: Page, k: number, timeoutMs: number): Promise<EditTiming> {
  return page.evaluate(
    ({ k, timeoutMs }) =>
      new Promise<{ focusedMs: number; allMs: number }>((resolve, reject) => {
        type S = {
          logits: Float32Array;
          numClasses: number;
          width: number;
          stateVersion: number;
          focusedLoss: string;
          beginGesture(): void;
          endGesture(): void;
          setLogits(l: Float32Array): void;
        };
        const { store } = (window as unknown as { __segloss: { store: { getState(): S } } }).__segloss;
        const s = store.getState();
        const l = s.logits.slice();
        // a band of rows whose class-0 logit moves by ±1.5 (alternating, so edits do not drift)
        const rows = Math.max(2, Math.round(s.width / 8));
        const start = (k * rows) % Math.max(1, s.width - rows);
        const sign = k % 2 === 0 ? 1 : -1;
        for (let y = start; y < start + rows; y++)
          for (let x = 0; x < s.width; x++) {
            const i = (y * s.width + x) * s.numClasses;
            l[i] = (l[i] as number) + 1.5 * sign;
          }
        const focused = s.focusedLoss;
        const t0 = performance.now();
        performance.mark(`edit-${k}`); // where scripts/bench/app-trace.ts starts reading a Chrome trace
        s.beginGesture();
        s.setLogits(l);
        s.endGesture();
        const version = String(store.getState().stateVersion);
        let focusedMs = -1;
        const check = () => {
          const fv = document.querySelector(`[data-testid="loss-value"][data-loss-id="${focused}"]`);
          const heat = document.querySelector('[data-testid="gradient-heatmap"]');
          if (
            focusedMs < 0 &&
            fv?.getAttribute('data-version') === version &&
            !fv.hasAttribute('data-stale') &&
            heat &&
            !heat.hasAttribute('data-stale')
          )
            focusedMs = performance.now() - t0;
          const values = [...document.querySelectorAll('[data-testid="loss-value"]')];
          const table = document.querySelector('[data-testid="loss-table"]');
          const all =
            values.length > 0 &&
            values.every((v) => v.getAttribute('data-version') === version && !v.hasAttribute('data-stale')) &&
            table?.getAttribute('aria-busy') === 'false';
          if (focusedMs >= 0 && all) {
            observer.disconnect();
            clearTimeout(timer);
            resolve({ focusedMs, allMs: performance.now() - t0 });
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`edit ${k}: values not current after ${timeoutMs} ms`));
        }, timeoutMs);
        check();
      }),
    { k, timeoutMs },
  );
}

/** Waits (≤ 60 s) until the engine's background JIT warm-up is done; says how it went. */
async function waitForJitWarmUp(page: Page): Promise<string> {
  const t0 = performance.now();
  for (;;) {
    const s = await page.evaluate(async () => {
      const seg = (window as unknown as { __segloss: { status(): Promise<{ jitWarmUp: unknown }> } }).__segloss;
      return (await seg.status()).jitWarmUp as { done: number; of: number; ms: number; finished: boolean } | null;
    });
    const waited = ((performance.now() - t0) / 1000).toFixed(1);
    if (!s) return `does not run on this backend`;
    if (s.finished)
      return `done: ${s.done} of ${s.of} loss evaluations in ${s.ms.toFixed(0)} ms of engine time (waited ${waited} s)`;
    if (performance.now() - t0 > 60_000) return `not done after ${waited} s (${s.done}/${s.of})`;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function setGrid(page: Page, size: number): Promise<void> {
  await page.evaluate((size) => {
    const { store } = (window as unknown as { __segloss: { store: { getState(): { setGridSize(n: number): void } } } })
      .__segloss;
    store.getState().setGridSize(size);
  }, size);
  await page.waitForFunction(
    () => {
      const t = document.querySelector('[data-testid="loss-table"]');
      return t?.getAttribute('aria-busy') === 'false' && !document.querySelector('[data-stale="true"]');
    },
    null,
    { timeout: 300_000 },
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Rows `edit→focused` and `edit→all` per size, backend `app-chromium-<backend>`. */
export async function benchApp(
  opts: AppBenchOptions = DEFAULT_APP_BENCH,
  log: (s: string) => void = () => {},
): Promise<{ rows: BenchReportRow[]; backend: string }> {
  const session = await openExplorer(opts.dist, log);
  try {
    const { page } = session;
    const badge = ((await page.getByTestId('backend').textContent()) ?? '').trim();
    const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);
    const backend = (await page.getByTestId('backend').getAttribute('data-backend')) ?? 'unknown';
    const classes = await page.evaluate(
      () =>
        (
          window as unknown as { __segloss: { store: { getState(): { numClasses: number } } } }
        ).__segloss.store.getState().numClasses,
    );
    log(`app: backend badge "${badge}", crossOriginIsolated ${isolated}`);
    const jit = opts.cold ? 'not waited for (--app-cold)' : await waitForJitWarmUp(page);
    log(`app: engine JIT warm-up ${jit}`);
    const rows: BenchReportRow[] = [];
    for (const size of opts.sizes) {
      await setGrid(page, size);
      const timeoutMs = 120_000;
      const first = await timedEdit(page, 0, timeoutMs);
      for (let k = 1; k < opts.warmup; k++) await timedEdit(page, k, timeoutMs);
      const times: EditTiming[] = [];
      for (let k = 0; k < opts.reps; k++) times.push(await timedEdit(page, opts.warmup + k, timeoutMs));
      const f = median(times.map((t) => t.focusedMs));
      const a = median(times.map((t) => t.allMs));
      log(
        `app ${size}²: edit→focused ${f.toFixed(0)} ms, edit→all ${a.toFixed(0)} ms (median of ${opts.reps} after ${opts.warmup} untimed)`,
      );
      const common = { classes, size, backend: `app-chromium-${backend}` };
      rows.push({ loss: 'edit→focused', ...common, medianMs: f, firstMs: first.focusedMs });
      rows.push({ loss: 'edit→all', ...common, medianMs: a, firstMs: first.allMs });
    }
    return { rows, backend: `${badge}${isolated ? ', cross-origin isolated' : ''}` };
  } finally {
    await session.close();
  }
}

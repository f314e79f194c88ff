/**
 * Shared browser-test harness (Node side; playwright-core + the system Chromium).
 *
 *   findChromium(): string
 *       CHROMIUM_PATH, else /usr/bin/chromium, /usr/lib/chromium/chromium, /usr/bin/chromium-browser,
 *       /usr/bin/google-chrome; throws "install it with `apt-get install -y chromium`…" when none exists.
 *   launchBrowser(extraArgs?): Promise<Browser>
 *       headless, with CHROMIUM_ARGS (--use-angle=swiftshader --enable-unsafe-swiftshader, software compositing, one
 *       pipeline cache …) so that WebGL2 works on SwiftShader. Close it in afterAll. Only for other flags:
 *   useBrowser(): () => Browser / connectBrowser(): Promise<Browser>
 *       the run's shared Chromium (same flags), started once by the global setup.
 *   serveDist(dir): Promise<{ url, close() }>
 *       static server on 127.0.0.1:<free port> with correct MIME types (application/wasm …). `url` has no
 *       trailing slash: the explorer is `${url}/`, the golden runner `${url}/e2e/golden.html`.
 *   openPage(browser, url, { viewport?, echo? }): Promise<{ page, errors, console, close() }>
 *       fresh context + page; `errors` collects console.error, uncaught exceptions and HTTP >= 400 responses
 *       (assert `expect(errors).toEqual([])` at the end of a test).
 *   openGoldenPage(browser, baseUrl): Promise<GoldenPage>
 *       the golden runner: setBackend('webgl'|'wasm'|'cpu') → { backend, renderer, webglVersion } (rejects
 *       unless tf.getBackend() really is that backend), runGolden([{ name, text }]) → CaseResult[],
 *       bench(opts) → BenchRow[], loadInverseFormNet(url?), numTensors(). WEBGL_USE_SHAPES_UNIFORMS is off, as in
 *       the explorer (it reuses wrong programs: tfjs#6478); `golden.html?shapesUniforms=1` turns it on.
 *
 *   useGoldenPage(): () => GoldenPage
 *       beforeAll/afterAll pair that opens one browser + golden page for a describe block.
 *   cpuAgreementFile(loss, specs): Promise<GoldenFile>
 *       value + gradient from the Node cpu backend as an ad-hoc golden file, for losses without golden
 *       vectors (checked on webgl through runGolden with the checker's tolerance).
 *   float32List(a): number[]
 *       float32 numbers in 9 significant digits (exact for float32; ~40% shorter JSON to hand to the page).
 *
 * In e2e tests (vitest.e2e.config.ts) the global setup serves the already built dist/ (run `npm run build`
 * first; SEGLOSS_DIST_DIR=<dir> serves another build) and provides its URL:
 *
 *   import { inject } from 'vitest';
 *   const baseUrl = inject('baseUrl');            // e.g. http://127.0.0.1:41234
 *   const browser = useBrowser();                 // the run's one Chromium (connected in beforeAll)
 *   const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=webgl`);
 *
 * The global setup also starts that one Chromium for the whole run (a Playwright browser server); useBrowser()
 * / connectBrowser() connect to it. launchBrowser(flags) starts a browser of a file's own (other flags).
 *
 * downloadBytes(download) reads a download's file (download.path() fails on a connected browser).
 *
 * Screenshots go under SCREENSHOT_DIR (test-results/screenshots, git-ignored).
 */
import { resolve } from 'node:path';

export { CHROMIUM_ARGS, findChromium, launchBrowser } from './chromium';
export { type AgreementSpec, cpuAgreementFile, cpuReferenceCase, float32List, useGoldenPage } from './cross-backend';
export { downloadBytes } from './download';
export { type GoldenPage, openGoldenPage } from './golden';
export { type OpenedPage, type OpenPageOptions, openPage } from './page';
export { type Served, serveDist } from './serve';
export { connectBrowser, useBrowser } from './shared-browser';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const DIST_DIR = resolve(REPO_ROOT, 'dist');
export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'test-results/screenshots');

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the served dist/ (no trailing slash), set by e2e/lib/global-setup.ts. */
    baseUrl: string;
  }
}

// What the explorer benchmarks share (app.ts, app-trace.ts, app-cpu.ts): the built app served by `vite preview`
// (the COOP/COEP headers of `npm start`), one headless Chromium, the page opened and ready.
import type { Browser, Page } from 'playwright-core';
import { preview } from 'vite';
import { waitReady } from '../../e2e/fixtures/helpers';
import { launchBrowser } from '../../e2e/lib/chromium';
import { openPage } from '../../e2e/lib/page';
import { builtApp, REPO_ROOT } from '../lib/build';

export interface ExplorerSession {
  browser: Browser;
  page: Page;
  /** Closes the page, the browser and the server, and removes a build made for this session. */
  close(): Promise<void>;
}

/** Serves `dist` (default: a fresh build of this checkout) and opens the explorer in it, ready for edits. */
export async function openExplorer(dist?: string, log: (s: string) => void = () => {}): Promise<ExplorerSession> {
  const app = dist ? { dir: dist, cleanup: () => {} } : await builtApp(log);
  const server = await preview({
    root: REPO_ROOT,
    configFile: `${REPO_ROOT}/vite.config.ts`,
    logLevel: 'warn',
    build: { outDir: app.dir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => {});
    await new Promise<void>((ok) => server.httpServer.close(() => ok()));
    app.cleanup();
  };
  try {
    browser = await launchBrowser();
    const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4173/';
    const { page } = await openPage(browser, url);
    await waitReady(page);
    // tsx compiles the scripts with esbuild's keepNames, whose __name(…) wrappers end up in the functions they
    // send to page.evaluate: give the page the identity helper they expect.
    await page.evaluate('globalThis.__name = (f) => f');
    return { browser, page, close };
  } catch (e) {
    await close();
    throw e;
  }
}

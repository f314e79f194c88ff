// One Chromium + one golden runner page over a served build: what the golden and bench scripts share.
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../e2e/lib/chromium';
import { type GoldenPage, openGoldenPage } from '../../e2e/lib/golden';
import { type Served, serveDist } from '../../e2e/lib/serve';
import { builtApp } from './build';

export interface BrowserSession {
  page: GoldenPage;
  close(): Promise<void>;
}

export async function startBrowserSession(log: (s: string) => void = () => {}): Promise<BrowserSession> {
  const app = await builtApp(log);
  let served: Served | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => {});
    await served?.close().catch(() => {});
    app.cleanup();
  };
  try {
    served = await serveDist(app.dir);
    browser = await launchBrowser();
    const page = await openGoldenPage(browser, served.url, process.env.SEGLOSS_ECHO_PAGE === '1');
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}

// Opening a page and collecting what went wrong in it (console errors, uncaught exceptions, failed requests).
import type { Browser, Page } from 'playwright-core';

export interface OpenedPage {
  page: Page;
  /** console.error messages, uncaught page errors and HTTP >= 400 responses, in order. Live array. */
  errors: string[];
  /** Every console message as `type: text` (useful when a test fails). Live array. */
  console: string[];
  close(): Promise<void>;
}

export interface OpenPageOptions {
  viewport?: { width: number; height: number };
  /** A touch screen (tablet/phone tests): page.touchscreen works and `pointer: coarse` applies. */
  hasTouch?: boolean;
  /** Forwards the page's console to this process's stderr (debugging). */
  echo?: boolean;
  /**
   * 'allow' lets the page register the explorer's offline worker (the offline tests). By default it is blocked:
   * installing it fetches the whole build into a cache and compiles every script in it, ≈ 1 s of CPU per page on
   * the 2-core machine beside whatever the test does, and no other test needs it.
   */
  serviceWorkers?: 'allow' | 'block';
}

/** A new page in a fresh context, navigated to `url` (waits for `load`). */
export async function openPage(browser: Browser, url: string, opts: OpenPageOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    hasTouch: opts.hasTouch ?? false,
    serviceWorkers: opts.serviceWorkers ?? 'block',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const messages: string[] = [];
  page.on('console', (m) => {
    const line = `${m.type()}: ${m.text()}`;
    messages.push(line);
    if (opts.echo) process.stderr.write(`[page] ${line}\n`);
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, console: messages, close: () => context.close() };
}

// One Chromium for the whole browser-test run: the global setup launches it as a Playwright browser server
// (launchSharedBrowser in chromium.ts) and provides its address; each test file connects to it (connectBrowser / useBrowser)
// instead of starting its own, which saves a browser start per file on this 2-core machine. Every test still
// gets its own browser context (openPage), so pages share nothing but the browser process. Tests that need
// other Chromium flags (a browser without WebGL) keep launching their own with launchBrowser(flags).
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchBrowser } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** WebSocket address of the run's shared Chromium (e2e/lib/global-setup.ts); empty when there is none. */
    browserWs: string;
  }
}

/**
 * A connection to the run's shared Chromium (closing it disconnects and closes this file's contexts, not the
 * browser); a browser of its own when no shared one was provided (a file run outside the e2e config).
 */
export async function connectBrowser(): Promise<Browser> {
  const ws = inject('browserWs');
  return ws ? chromium.connect(ws) : launchBrowser();
}

/** The shared browser for the enclosing describe block; call the getter inside tests and hooks. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('browser not connected (useBrowser must be called inside describe)');
    return browser;
  };
}

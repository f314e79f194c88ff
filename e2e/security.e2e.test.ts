// Security and `npm start` (issue 14 §4–§5): the built explorer under `vite preview` — the server `npm start`
// runs — sends the Content-Security-Policy header (the built page also carries it as a meta tag), and no panel
// trips it: computing in the WASM worker, the loss card's formula and code, the landscape, an upload, a preset,
// an export and a switch to WebGL raise no `securitypolicyviolation`. A file name made of HTML is shown as
// text. And the offline reload works under `vite preview` too (its "Vary: Origin" once left the page blank).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../scripts/security/csp';
import { backendOf, shownValues, waitReady } from './fixtures/helpers';
import { connectBrowser, DIST_DIR, openPage, REPO_ROOT } from './lib';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');

/** Records every CSP violation the page (or anything it starts) reports, before any script of the page runs. */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    window.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
}

function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

describe('security under `vite preview` (npm start)', () => {
  let browser: Browser;
  let server: PreviewServer;
  let baseUrl: string;

  beforeAll(async () => {
    browser = await connectBrowser();
    server = await preview({
      root: REPO_ROOT,
      configFile: join(REPO_ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: process.env.SEGLOSS_DIST_DIR || DIST_DIR },
      preview: { port: 0, strictPort: false, open: false },
    });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report a URL');
    baseUrl = url.replace(/\/$/, '');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sends the policy and no panel violates it', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await response.text();
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script in the built page

    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await recordViolations(page);
    await page.goto(`${baseUrl}/?backend=wasm`);
    await waitReady(page);
    expect(await backendOf(page)).toBe('wasm');
    expect((await shownValues(page)).size).toBeGreaterThan(5);
    // COOP/COEP from `npm start`: the page is cross-origin isolated and TF.js runs its threaded SIMD binary.
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.getByTestId('backend-variant').getAttribute('data-variant')).toMatch(
      /^threaded SIMD, \d+ threads?$/,
    );
    // … and newer states reach the worker's running request through shared memory (app/compute/latest.ts)
    const status = await page.evaluate(() =>
      (window as unknown as { __segloss: { status(): Promise<{ latestBoard: boolean }> } }).__segloss.status(),
    );
    expect(status.latestBoard).toBe(true);

    // Loss card: the KaTeX formula and the code snippet.
    await page.getByTestId('loss-card').locator('.katex').first().waitFor();
    await page.getByTestId('code-snippet').locator('summary').click();
    await page.getByTestId('code-snippet-text').waitFor();
    // Landscape.
    await page.getByTestId('landscape-compute').click();
    await page.getByTestId('landscape-curve').waitFor({ timeout: 60_000 });
    // An upload whose file name is HTML: shown as text, never parsed.
    const evil = '<img src=x onerror="window.__pwned=1">.png';
    await page.getByTestId('upload-target').setInputFiles({
      name: evil,
      mimeType: 'image/png',
      buffer: readFileSync(join(FIXTURES, 'gt-3class-64.png')),
    });
    await page.getByTestId('upload-status').getByText('<img src=x', { exact: false }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // Export (a download made from a blob: URL).
    const menu = page.getByTestId('export-menu');
    await menu.locator('summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    // WebGL.
    await page.getByTestId('backend-select').selectOption('webgl');
    await page.waitForFunction(
      () =>
        (
          window as unknown as {
            __segloss: { store: { getState(): { backend: { name: string } | null; backendStatus: string } } };
          }
        ).__segloss.store.getState().backend?.name === 'webgl',
      null,
      { timeout: 90_000 },
    );
    await waitReady(page);
    expect((await shownValues(page)).size).toBeGreaterThan(5);

    expect(await violations(page)).toEqual([]);
    expect(errors.filter((e) => /Content.Security.Policy|Refused to/i.test(e))).toEqual([]);
    await context.close();
  });

  it('reloads offline under `vite preview` (Vary: Origin) with values on screen', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/?backend=wasm`, { serviceWorkers: 'allow' });
    await recordViolations(page);
    await waitReady(page);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    await page.context().setOffline(true);
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    expect(await backendOf(page)).toBe('wasm');
    const values = await shownValues(page);
    expect(values.size).toBeGreaterThan(5);
    for (const v of values.values()) expect(Number.isFinite(v)).toBe(true);
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });
});

// Offline after the first visit: the production build registers dist/sw.js, which precaches the app shell,
// the WASM binaries, the compute worker, the presets and the InverseForm weights. With the browser context
// offline, a reload still starts the explorer on WASM, shows loss values (InverseForm included), loads a
// preset and shows no error alert. Caches from an older build are deleted when the new worker activates.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { presetSources } from '../app/editing/preset-sources';
import { backendOf, flush, shownErrors, shownValues, waitReady } from './fixtures/helpers';
import { connectBrowser, DIST_DIR, openPage, serveDist } from './lib';

/** Waits until a service worker is active and controls the page; returns the cache names of the origin. */
async function waitControlled(page: Page): Promise<string[]> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  return page.evaluate(() => caches.keys());
}

describe('offline explorer', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reloads with the network off: WASM losses, InverseForm, a preset, no alert', async () => {
    // A page of the same origin that does not register the worker: leave a stale cache of an "older build"
    // and an unrelated cache, to check that activation deletes only the former.
    const { page, errors, close } = await openPage(browser, `${baseUrl}/presets/index.json`, {
      serviceWorkers: 'allow',
    });
    await page.evaluate(async () => {
      await (await caches.open('segloss-offline-0000000000000000')).put('stale', new Response('old build'));
      await (await caches.open('unrelated')).put('keep', new Response('not ours'));
    });
    await page.goto(`${baseUrl}/?backend=wasm`, { waitUntil: 'load' });
    errors.splice(0); // the JSON page's favicon 404 is no concern of the explorer
    await waitReady(page);
    const names = await waitControlled(page);
    const ours = names.filter((n) => n.startsWith('segloss-offline-'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).not.toBe('segloss-offline-0000000000000000');
    expect(names).toContain('unrelated');

    await page.context().setOffline(true);
    expect(
      await page.evaluate(() =>
        fetch('/presets/not-cached.json').then(
          () => 'fetched',
          () => 'offline',
        ),
      ),
    ).toBe('offline');
    // That refused request is the only error so far.
    expect(errors).toEqual(['console.error: Failed to load resource: net::ERR_INTERNET_DISCONNECTED']);
    errors.splice(0);
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await backendOf(page)).toBe('wasm');
    // The static server sends no COOP/COEP; the service worker adds them, so the reload is isolated and runs
    // the threaded WASM binary.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.getByTestId('backend-variant').getAttribute('data-variant')).toMatch(/^threaded SIMD/);
    const values = await shownValues(page);
    expect(values.size).toBeGreaterThan(5);
    for (const v of values.values()) expect(Number.isFinite(v)).toBe(true);
    // The weights came from the cache: InverseForm has a value, not an error.
    expect(values.has('inverseform')).toBe(true);
    expect(await shownErrors(page)).not.toContain('inverseform');

    // The preset index and a preset file come from the cache too.
    const src = presetSources().find((p) => p.id === 'multi-organ');
    if (!src) throw new Error('multi-organ preset source missing');
    await page.locator('[data-testid="preset-select"] option[data-preset-id="multi-organ"]').waitFor({
      state: 'attached',
    });
    const value = await page
      .locator('[data-testid="preset-select"] option[data-preset-id="multi-organ"]')
      .getAttribute('value');
    await page.getByTestId('preset-select').selectOption(value ?? '');
    await page.getByTestId('preset-load').click();
    await page.waitForFunction(
      (name) =>
        (window as unknown as { __segloss: { store: { getState(): { source: string } } } }).__segloss.store.getState()
          .source === name,
      src.name,
    );
    await flush(page);
    expect((await shownValues(page)).size).toBeGreaterThan(5);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });

  it('starts as usual when the service worker cannot be registered, with only a warning', async () => {
    // A copy of the build without sw.js, served on its own port: registration fails with a 404.
    const dir = mkdtempSync(join(tmpdir(), 'segloss-no-sw-'));
    cpSync(process.env.SEGLOSS_DIST_DIR || DIST_DIR, dir, { recursive: true });
    rmSync(join(dir, 'sw.js'));
    const served = await serveDist(dir);
    try {
      const {
        page,
        errors,
        console: messages,
        close,
      } = await openPage(browser, `${served.url}/?backend=wasm`, { serviceWorkers: 'allow' });
      await waitReady(page);
      await page.waitForFunction(() => document.readyState === 'complete');
      await expect
        .poll(() => messages.some((m) => m.startsWith('warning: Offline support unavailable')), { timeout: 30_000 })
        .toBe(true);
      expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
      expect(await backendOf(page)).toBe('wasm');
      expect((await shownValues(page)).size).toBeGreaterThan(5);
      expect(await page.locator('[role="alert"]').count()).toBe(0);
      // Chromium's own report of the failed registration is the only error.
      expect(errors).toEqual(['console.error: A bad HTTP response code (404) was received when fetching the script.']);
      await close();
    } finally {
      await served.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

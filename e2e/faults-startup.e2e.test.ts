// Issue 14 §2 and §4, faults at start-up:
// - the compute worker's script does not load (its chunk answers 404): the app used to show only "compute
//   worker failed: script error" and no values; now it says so and computes on the page (?compute=main's
//   engine), with the same values as Node's cpu backend;
// - the InverseForm weights arrive late: the row says "loading weights…" (not the developer error `call await
//   loadInverseFormNet()`, not a number) until they were tried; when they fail, it says why in the user's words.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { compareValues, masksOf, nodeValues, shownErrors, shownValues, waitReady } from './fixtures/helpers';
import { useBrowser } from './lib';

type Hooked = { __segloss: { store: { getState(): Record<string, unknown> } } };

/** A fresh page whose requests matching `pattern` are answered by `handle`, then navigated to `url`. */
async function openRouted(
  browser: Browser,
  url: string,
  pattern: string,
  handle: Parameters<Page['route']>[1],
): Promise<{ page: Page; pageErrors: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Watches the page from its first paint: did the developer error ever show (even for a frame)?
  await context.addInitScript(() => {
    new MutationObserver(() => {
      if (document.body?.textContent?.includes('loadInverseFormNet'))
        (window as unknown as { __sawDevError: boolean }).__sawDevError = true;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await context.route(pattern, handle); // the context: it also sees requests made by the compute worker
  await page.goto(url, { waitUntil: 'load' });
  return { page, pageErrors, close: () => context.close() };
}

describe('start-up faults', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('computes on the page, with a notice, when the worker script does not load', async () => {
    const { page, pageErrors, close } = await openRouted(browser(), `${baseUrl}/`, '**/assets/worker-*.js', (r) =>
      r.fulfill({ status: 404, body: 'gone' }),
    );
    await waitReady(page);
    const notice = page.getByTestId('notice').filter({ hasText: /compute worker did not load/ });
    expect(await notice.textContent()).toMatch(/computing on the page instead/);
    const backend = await page.evaluate(
      () => (window as unknown as Hooked).__segloss.store.getState().backend as { thread: string },
    );
    expect(backend.thread).toBe('main thread');
    const m = await masksOf(page);
    const expected = await nodeValues(
      Int32Array.from(m.target),
      Float32Array.from(m.logits),
      m.height,
      m.width,
      m.numClasses,
    );
    expect(compareValues(await shownValues(page), expected)).toEqual([]);
    expect(await shownErrors(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await close();
  });

  it('says "loading weights…" until the InverseForm weights arrive, then shows the value', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let requested = 0;
    const { page, pageErrors, close } = await openRouted(
      browser(),
      `${baseUrl}/`,
      '**/models/inverseform/model.json',
      async (route) => {
        requested++;
        await held;
        await route.continue();
      },
    );
    // Every other loss is computed while the weights are held back.
    await page.locator('[data-testid="loss-value"][data-loss-id="dice"]').waitFor({ timeout: 90_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="loss-table"]')?.getAttribute('aria-busy') === 'false',
      null,
      { timeout: 90_000 },
    );
    const row = page.locator('tr[data-loss-id="inverseform"]');
    expect(await row.getByTestId('loss-loading').textContent()).toBe('loading weights…');
    expect(await shownErrors(page)).toEqual([]);
    expect(requested).toBeGreaterThan(0); // the weights' request (the worker's; the offline cache's too) is held
    release();
    await waitReady(page);
    expect(Number(await row.getByTestId('loss-value').getAttribute('data-value'))).toBeGreaterThan(0);
    expect(await page.getByTestId('loss-loading').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __sawDevError?: boolean }).__sawDevError)).toBeUndefined();
    expect(pageErrors).toEqual([]);
    await close();
  });

  it('says why when the InverseForm weights fail to load', async () => {
    const { page, close } = await openRouted(browser(), `${baseUrl}/`, '**/models/inverseform/model.json', (r) =>
      r.fulfill({ status: 404, body: 'gone' }),
    );
    await waitReady(page);
    const cell = page.locator('tr[data-loss-id="inverseform"] [data-testid="loss-error"]');
    expect(await cell.textContent()).toMatch(/InverseForm weights did not load/);
    expect(await page.evaluate(() => (window as unknown as { __sawDevError?: boolean }).__sawDevError)).toBeUndefined();
    expect(await shownErrors(page)).toEqual(['inverseform']);
    await close();
  });
});

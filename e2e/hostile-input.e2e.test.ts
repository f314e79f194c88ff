import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { deflateRaw, toBase64Url } from '../app/share/bytes';
import { flush, shownValues, waitReady } from './fixtures/helpers';
import { downloadBytes, openPage, useBrowser } from './lib';

type Hooked = { __segloss: { store: { getState(): { numTensors: number; width: number; source: string } } } };

async function makeLink(page: Page): Promise<string> {
  await page.getByTestId('share-copy').click();
  const url = page.getByTestId('share-url');
  await url.waitFor();
  return url.inputValue();
}

function withKey(link: string, key: string, value: string): string {
  const [base, hash] = link.split('#') as [string, string];
  const q = new URLSearchParams(hash);
  q.set(key, value);
  return `${base}#${q.toString()}`;
}

async function alertTexts(page: Page): Promise<string[]> {
  return page.$$eval('[role="alert"]', (els) => els.map((e) => e.textContent ?? ''));
}

describe('hostile input in the page', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('refuses 1024² masks and a deflate bomb in links, and keeps computing', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`);
    await waitReady(page);
    const link = await makeLink(page); // snaps the prediction to link precision: values are taken after it
    await flush(page);
    const before = await shownValues(page);
    const tensors = await page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().numTensors);

    // The crash: a link whose masks claim 1024×1024 (the size alone is refused, nothing is inflated).
    await page.evaluate(
      (h) => {
        location.hash = h;
      },
      `#${withKey(link, 'size', '1024x1024x2').split('#')[1]}`,
    );
    await page.getByText('at most 512 px a side', { exact: false }).waitFor();
    // A 16 MiB deflate bomb as the ground truth of a 64² link.
    const bomb = toBase64Url(await deflateRaw(new Uint8Array(16 << 20)));
    await page.evaluate(
      (h) => {
        location.hash = h;
      },
      `#${withKey(link, 'gt', bomb).split('#')[1]}`,
    );
    await page.getByText('inflates to more than', { exact: false }).waitFor();

    // Nothing changed and the engine still computes the same values.
    await flush(page);
    expect(await shownValues(page)).toEqual(before);
    const after = await page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().numTensors);
    expect(after).toBe(tensors);
    expect((await alertTexts(page)).every((t) => t.length < 700)).toBe(true);
    expect(errors).toEqual([]);
    await close();
  });

  it('keeps a marker while the session cannot be saved, and offers it as a file', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`);
    await waitReady(page);
    // Storage fills up: every later save throws, as a full localStorage does.
    await page.evaluate(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await page.getByTestId('derive-empty').click();
    const marker = page.getByTestId('save-failed');
    await marker.waitFor({ timeout: 30_000 });
    // The one-off notice can be dismissed; the marker stays through later edits.
    const notice = page.getByTestId('notice').filter({ hasText: 'Could not save the session' });
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('derive-perfect').click();
    await flush(page);
    expect(await marker.isVisible()).toBe(true);
    expect(await notice.count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-export').click()]);
    expect(download.suggestedFilename()).toBe('segloss-session.json');
    const saved = JSON.parse((await downloadBytes(download)).toString('utf8'));
    expect(saved.schemaVersion).toBeGreaterThanOrEqual(2);
    expect(saved.masks.width).toBe(64);
    expect(errors).toEqual([]);
    await close();
  });

  it('drops a status line about replaced masks on Reset and on a grid change', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm`);
    await waitReady(page);
    const option = page.locator('[data-testid="preset-select"] option[data-preset-id="multi-organ"]');
    await option.waitFor({ state: 'attached' });
    const loadMultiOrgan = async () => {
      await page.getByTestId('preset-select').selectOption((await option.getAttribute('value')) ?? '');
      await page.getByTestId('preset-load').click();
      await status.getByText('Preset “', { exact: false }).waitFor();
    };
    const status = page.getByTestId('upload-status');
    await loadMultiOrgan();
    const width = await page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().width);
    const other = width === 128 ? 64 : 128;
    await page.getByTestId('grid-size').selectOption(String(other));
    await page.waitForFunction((w) => (window as unknown as Hooked).__segloss.store.getState().width === w, other);
    await expect.poll(() => status.textContent()).not.toMatch(/Preset “/);
    await loadMultiOrgan();
    await page.getByTestId('reset').click();
    await page.getByTestId('reset-confirm').click();
    await expect.poll(() => status.textContent()).toMatch(/Showing: Built-in example/);
    expect(errors).toEqual([]);
    await close();
  });
});

// The loss card in headless Chromium against the built app: "Copy LaTeX" puts the focused loss's formula source on
// the clipboard (and shows it, selectable, when the clipboard is refused); the "Code" snippet names the loss and the
// changed parameter; a value beyond the slider range is refused normally and, with ?advanced=1, accepted where the
// loss allows it, reaching the loss table with the value the library computes in Node.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { snippetParams } from '../app/code-snippet';
import { computeLoss } from '../src/compute';
import { getLoss } from '../src/registry';
import { setNodeBackend } from '../src/testing/backends';
import { tf } from '../src/tf';
import { flush, masksOf, shownValues, waitReady } from './fixtures/helpers';
import { connectBrowser, openPage } from './lib';

type Hooked = { __segloss: { store: { getState(): Record<string, unknown> } } };

async function paramsOf(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().params);
}

async function setText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).fill(text);
  await page.locator(selector).press('Enter');
}

/** Dice on the page's current masks in Node (cpu, the reference backend). */
async function nodeDice(page: Page, params: Record<string, number>): Promise<number> {
  const m = await masksOf(page);
  await setNodeBackend('cpu');
  return tf.tidy(() => {
    const x = tf.tensor4d(m.logits, [1, m.height, m.width, m.numClasses]);
    const t = tf.tensor3d(m.target, [1, m.height, m.width], 'int32');
    return computeLoss('dice', x, t, params).dataSync()[0] as number;
  });
}

function close(got: number | undefined, want: number): boolean {
  return got !== undefined && Math.abs(got - want) <= 1e-3 * Math.abs(want) + 1e-6;
}

describe('loss card', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('copies the LaTeX source and shows a code snippet with the changed parameter', async () => {
    const { page, errors, close: done } = await openPage(browser, `${baseUrl}/`);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await waitReady(page);
    expect(await page.getByTestId('loss-card').getAttribute('data-loss-id')).toBe('dice');

    await page.getByTestId('formula-latex-copy').click();
    await page.getByTestId('formula-latex-status').getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(getLoss('dice').formula);

    await setText(page, '#param-dice-smoothNr', '0.125');
    await page.getByTestId('code-snippet').locator('summary').click();
    const code = (await page.getByTestId('code-snippet-text').textContent()) ?? '';
    expect(code).toContain("lossAndGrad('dice', logits, target, params)");
    expect(snippetParams(code)).toEqual({ smoothNr: 0.125 });
    await page.getByTestId('code-snippet-copy').click();
    await page.getByTestId('code-snippet-status').getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    expect(errors).toEqual([]);
    await done();
  });

  it('shows the LaTeX, selectable, when the clipboard is refused', async () => {
    const { page, errors, close: done } = await openPage(browser, `${baseUrl}/`);
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    });
    await waitReady(page);
    await page.getByTestId('formula-latex-copy').click();
    const fallback = page.getByTestId('formula-latex-fallback');
    await fallback.waitFor();
    expect(await fallback.inputValue()).toBe(getLoss('dice').formula);
    expect(await page.getByTestId('formula-latex-status').textContent()).toMatch(/refused/);
    expect(errors).toEqual([]);
    await done();
  });

  it('refuses a value beyond the slider range without ?advanced=1', async () => {
    const { page, errors, close: done } = await openPage(browser, `${baseUrl}/`);
    await waitReady(page);
    expect(await page.getByTestId('advanced-mode').count()).toBe(0);
    const before = (await shownValues(page)).get('dice');
    await setText(page, '#param-dice-smoothNr', '50');
    expect(await page.getByTestId('param-error').textContent()).toMatch(
      /smoothNr' must lie in \[0, 10\], got 50 \(open the page with \?advanced=1/,
    );
    expect(await paramsOf(page)).toEqual({});
    await flush(page);
    expect((await shownValues(page)).get('dice')).toBe(before);
    expect(errors).toEqual([]);
    await done();
  });

  it('accepts it with ?advanced=1 and the table shows the value the library computes', async () => {
    const { page, errors, close: done } = await openPage(browser, `${baseUrl}/?advanced=1`);
    await waitReady(page);
    expect(await page.getByTestId('advanced-mode').textContent()).toMatch(/Advanced mode/);
    expect(await page.locator('label[for="param-dice-smoothNr"]').textContent()).toContain('advanced: [0, ∞)');
    const before = (await shownValues(page)).get('dice') as number;

    await setText(page, '#param-dice-smoothNr', '-1'); // still refused: the loss needs smoothing ≥ 0
    expect(await page.getByTestId('param-error').textContent()).toMatch(/must lie in \[0, ∞\), got -1/);
    await setText(page, '#param-dice-smoothNr', 'Infinity');
    expect(await page.getByTestId('param-error').textContent()).toMatch(/finite/);

    await setText(page, '#param-dice-smoothNr', '50');
    expect(await page.getByTestId('param-error').count()).toBe(0);
    expect(await paramsOf(page)).toEqual({ dice: { smoothNr: 50 } });
    await flush(page);
    const shown = (await shownValues(page)).get('dice');
    const want = await nodeDice(page, { smoothNr: 50 });
    expect(close(shown, want), `page ${shown} vs Node ${want}`).toBe(true);
    expect(close(shown, before)).toBe(false);
    expect(errors).toEqual([]);
    await done();
  });
});

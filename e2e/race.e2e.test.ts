// The loss race in headless Chromium against the built app (WASM, worker): a link opens the panel with its
// settings, a 4-loss × 200-step race on free logits runs (time printed for the README), the timeline scrubs,
// adopting a racer changes the prediction and one undo restores it; bad ids give a notice; the tiny network runs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { masksOf, waitReady } from './fixtures/helpers';
import { openPage, SCREENSHOT_DIR, useBrowser } from './lib';

type Hooked = { __segloss: { store: { getState(): { undo(): void } } } };

async function run(page: Page): Promise<number> {
  await page.getByTestId('race-run').click();
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="race-panel"]')?.getAttribute('data-status');
      return s === 'done' || s === 'error';
    },
    null,
    { timeout: 120_000 },
  );
  const err = await page.getByTestId('race-error').count();
  if (err) throw new Error(`race failed: ${await page.getByTestId('race-error').textContent()}`);
  return Number(await page.getByTestId('race-summary').getAttribute('data-ms'));
}

async function racers(page: Page) {
  return page.getByTestId('racer').evaluateAll((els) =>
    els.map((e) => ({
      id: e.getAttribute('data-loss-id'),
      step: Number(e.getAttribute('data-step')),
      loss: Number(e.getAttribute('data-loss-value')),
      dice: Number(e.getAttribute('data-dice')),
    })),
  );
}

const shownStep = async (page: Page) => Number(await page.getByTestId('race-step').getAttribute('data-step'));

describe('loss race', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();
  beforeAll(() => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  it('opens from the URL, races 4 losses × 200 steps, scrubs, adopts with one undo step', async () => {
    const ids = ['cross-entropy', 'dice', 'focal', 'boundary-loss'];
    const { page, errors, close } = await openPage(
      browser(),
      `${baseUrl}/?backend=wasm&race=${ids.join(',')}&raceMode=logits&raceSteps=200`,
      { viewport: { width: 1400, height: 1000 } },
    );
    await waitReady(page);
    const panel = page.getByTestId('race-panel');
    await panel.scrollIntoViewIfNeeded();
    for (const id of ids)
      expect(await panel.locator(`[data-testid=race-loss][data-loss-id="${id}"]`).isChecked()).toBe(true);
    expect(await page.getByTestId('race-mode').inputValue()).toBe('logits');
    expect(await page.getByTestId('race-steps').inputValue()).toBe('200');
    expect(await page.getByTestId('race-notice').count()).toBe(0);
    const m0 = await masksOf(page);
    expect(m0.width).toBe(64);

    const ms = await run(page);
    console.log(`race: 4 losses × 200 steps, 64², free logits, WASM worker: ${ms.toFixed(0)} ms`);
    expect(await shownStep(page)).toBe(200);
    const end = await racers(page);
    expect(end.map((r) => r.id)).toEqual(ids);
    expect(end.every((r) => r.step === 200 && Number.isFinite(r.loss))).toBe(true);

    // Scrub: Home → step 0 (same start: every racer's Dice is the same), then the timeline to the end again.
    const timeline = page.getByTestId('race-timeline');
    await timeline.focus();
    await page.keyboard.press('Home');
    expect(await shownStep(page)).toBe(0);
    const start = await racers(page);
    expect(new Set(start.map((r) => r.dice)).size).toBe(1);
    for (const id of ['cross-entropy', 'dice']) {
      const a = start.find((r) => r.id === id);
      const b = end.find((r) => r.id === id);
      expect(b?.loss).toBeLessThan(a?.loss as number);
    }
    await page.keyboard.press('ArrowRight');
    expect(await shownStep(page)).toBe(1);
    await page.getByTestId('race-forward').click();
    expect(await shownStep(page)).toBe(2);
    await page.getByTestId('race-rewind').click();
    expect(await shownStep(page)).toBe(0);
    await page.getByTestId('race-play').click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=race-step]')?.getAttribute('data-step')) > 5,
    );
    await page.getByTestId('race-play').click(); // pause
    await timeline.focus();
    await page.keyboard.press('End');
    expect(await shownStep(page)).toBe(200);
    await panel.screenshot({ path: join(SCREENSHOT_DIR, 'race-panel.png') });

    // Adopt the Dice racer's final prediction: the prediction changes (one history entry); undo restores it.
    await page.locator('[data-testid=racer][data-loss-id="dice"] [data-testid=race-adopt]').click();
    const m1 = await masksOf(page);
    expect(m1.pastLength).toBe(m0.pastLength + 1);
    expect(m1.logits).not.toEqual(m0.logits);
    expect(m1.target).toEqual(m0.target);
    await page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().undo());
    const m2 = await masksOf(page);
    expect(m2.logits).toEqual(m0.logits);
    expect(m2.pastLength).toBe(m0.pastLength);
    expect(errors).toEqual([]);
    await close();
  });

  it('a link with a bad id shows a notice and keeps the good ones; the tiny network races 4 losses × 200 steps', async () => {
    const { page, errors, close } = await openPage(
      browser(),
      `${baseUrl}/?backend=wasm&race=cross-entropy,nope,dice,focal,boundary-loss&raceMode=network&raceSteps=200`,
      { viewport: { width: 1400, height: 1000 } },
    );
    await waitReady(page);
    await expect.poll(() => page.getByTestId('race-notice').textContent()).toMatch(/unknown loss id 'nope'/);
    expect(
      await page
        .locator('[data-testid=race-loss]:checked')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-loss-id'))),
    ).toEqual(['cross-entropy', 'focal', 'dice', 'boundary-loss']);
    expect(await page.getByTestId('race-mode').inputValue()).toBe('network');
    const ms = await run(page);
    console.log(`race: 4 losses × 200 steps, 64², tiny network, WASM worker: ${ms.toFixed(0)} ms`);
    expect(await page.getByTestId('race-summary').textContent()).toMatch(
      /Tiny network \(input: an image rendered from the GT\)/,
    );
    const end = await racers(page);
    expect(end.length).toBe(4);
    expect(end.every((r) => r.step === 200 && Number.isFinite(r.loss))).toBe(true);
    expect(errors).toEqual([]);
    await close();
  });
});

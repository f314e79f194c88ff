// The classroom layout in headless Chromium against the built app: editors, focused value and live list on the
// first screen at 1366×768 and 1920×1080 (live values = table values, a click focuses), no horizontal overflow
// on phone and tablet, text that follows the browser's font size, formulas that fit their card, the presenter
// view (?present=1) and the embeddable panels (?embed=…) with their embed code.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IMPLEMENTED_LOSSES } from '../src/registry';
import { fingerprint, flush, shownValues, waitReady } from './fixtures/helpers';
import { connectBrowser, openPage, SCREENSHOT_DIR } from './lib';

type Box = { x: number; y: number; width: number; height: number };

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} has no box`);
  return box;
}

/** Selectors whose boxes lie outside the viewport (nothing may need scrolling). */
async function outsideViewport(page: Page, selectors: string[]): Promise<string[]> {
  const vp = page.viewportSize() as { width: number; height: number };
  const out: string[] = [];
  for (const s of selectors) {
    const b = await boxOf(page, s);
    if (b.x < 0 || b.y < 0 || b.x + b.width > vp.width + 0.5 || b.y + b.height > vp.height + 0.5)
      out.push(`${s} at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}`);
  }
  return out;
}

function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => (document.scrollingElement as Element).scrollWidth - window.innerWidth);
}

const FIRST_SCREEN = [
  '[data-testid=gt-canvas]',
  '[data-testid=pred-canvas]',
  '[data-testid=gradient-heatmap]',
  '[data-testid=focused-value]',
  '[data-testid=metrics-row][data-place=live]',
  '.live-list',
];

describe('classroom layout', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await connectBrowser();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows editors, heatmap, focused value and live list without scrolling; values match the table', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`, { viewport: { width: 1366, height: 768 } });
    try {
      await waitReady(page);
      expect(await outsideViewport(page, FIRST_SCREEN)).toEqual([]);
      const live = await page.$$eval('[data-testid=live-value]', (els) =>
        els.map((e) => [e.getAttribute('data-loss-id') ?? '', Number(e.getAttribute('data-value'))] as const),
      );
      expect(live.map(([id]) => id)).toEqual(IMPLEMENTED_LOSSES.map((d) => d.id));
      const table = await shownValues(page);
      for (const [id, v] of live) expect(v, id).toBe(table.get(id));

      await page.locator('[data-testid=live-value][data-loss-id=focal]').click();
      const focused = page.getByTestId('focused-value');
      expect(await focused.getAttribute('data-loss-id')).toBe('focal');
      expect(Number(await focused.getAttribute('data-value'))).toBe(table.get('focal'));
      expect(await page.getByTestId('gradient-heatmap').getAttribute('data-loss-id')).toBe('focal');

      await page.setViewportSize({ width: 1920, height: 1080 });
      expect(await outsideViewport(page, FIRST_SCREEN)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'classroom-1920.png') });

      // Every formula fits its card (shrunk by FitFormula) at this size.
      const overflowing: string[] = [];
      for (const def of IMPLEMENTED_LOSSES) {
        await page.evaluate(
          (id) =>
            (
              window as never as { __segloss: { store: { getState(): { setFocusedLoss(i: string): void } } } }
            ).__segloss.store
              .getState()
              .setFocusedLoss(id),
          def.id,
        );
        await page.locator(`[data-testid=loss-card][data-loss-id="${def.id}"] [data-testid=formula]`).waitFor();
        // The rendered KaTeX pieces (not its hidden MathML) must lie inside the formula's box, and that inside the card.
        const f = await page.$eval('[data-testid=formula]', (el) => {
          const card = (el.closest('.loss-card') as Element).getBoundingClientRect();
          const r = el.getBoundingClientRect();
          const parts = [...el.querySelectorAll('.katex-html > *')].map((p) => p.getBoundingClientRect());
          const left = Math.min(...parts.map((p) => p.left));
          const right = Math.max(...parts.map((p) => p.right));
          return {
            scroll: Math.max(r.left - left, right - r.right, el.scrollWidth - el.clientWidth),
            inside: r.left >= card.left && r.right <= card.right,
          };
        });
        if (f.scroll > 1 || !f.inside) overflowing.push(`${def.id}: ${JSON.stringify(f)}`);
      }
      expect(overflowing).toEqual([]);

      // Phone: one readable column, nothing wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(100);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect((await boxOf(page, '[data-testid=gradient-heatmap]')).width).toBeGreaterThan(250);

      // The browser's default font size (24 px instead of 16) scales the text.
      const size = () =>
        page.$eval('[data-testid=focused-value] .focused-name', (el) =>
          Number.parseFloat(getComputedStyle(el).fontSize),
        );
      const before = await size();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 24 } });
      await page.waitForTimeout(100);
      expect(await size()).toBeCloseTo(before * 1.5, 1);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lets a tablet draw with touch and read values, without horizontal overflow', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`, {
      viewport: { width: 768, height: 1024 },
      hasTouch: true,
    });
    try {
      await waitReady(page);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      // The focused value floats in a corner on narrow screens, so it is read while drawing.
      expect(await outsideViewport(page, ['[data-testid=gt-canvas]', '[data-testid=focused-value]'])).toEqual([]);
      const before = await fingerprint(page);
      const box = await boxOf(page, '[data-testid=gt-canvas]');
      await page.touchscreen.tap(box.x + box.width * 0.06, box.y + box.height * 0.06); // background: brush paints class 1
      await expect.poll(() => fingerprint(page)).not.toBe(before);
      await flush(page);
      expect(Number(await page.getByTestId('focused-value').getAttribute('data-value'))).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('presents large, high-contrast values beside the canvases at 1280×720 and 1920×1080', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`, { viewport: { width: 1280, height: 720 } });
    try {
      await waitReady(page);
      await page.getByTestId('present-toggle').click();
      await page.getByTestId('presenter').waitFor();
      expect(new URL(page.url()).searchParams.get('present')).toBe('1');
      expect(await page.locator('.topbar, .stats').count()).toBe(0);
      const sizes = await page.evaluate(() => ({
        body: Number.parseFloat(getComputedStyle(document.body).fontSize),
        value: Number.parseFloat(getComputedStyle(document.querySelector('.focused-number') as Element).fontSize),
      }));
      expect(sizes.value).toBeGreaterThanOrEqual(2.5 * sizes.body);
      const shown = await page.getByTestId('presenter-value').count();
      expect(shown).toBeGreaterThanOrEqual(2);
      expect(shown).toBeLessThanOrEqual(4);
      const fits = () =>
        page.evaluate(() => {
          const el = document.scrollingElement as Element;
          return el.scrollHeight <= window.innerHeight && el.scrollWidth <= window.innerWidth;
        });
      expect(await fits()).toBe(true);
      expect(
        await outsideViewport(page, [
          '[data-testid=gt-canvas]',
          '[data-testid=pred-canvas]',
          '[data-testid=focused-value]',
        ]),
      ).toEqual([]);

      // ←/→ are lesson steps: the presenter reports them as an event for the lesson panel.
      await page.evaluate(() => {
        (window as never as { steps: number[] }).steps = [];
        window.addEventListener('segloss:lesson-step', (e) =>
          (window as never as { steps: number[] }).steps.push((e as CustomEvent<{ delta: number }>).detail.delta),
        );
      });
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowLeft');
      expect(await page.evaluate(() => (window as never as { steps: number[] }).steps)).toEqual([1, -1]);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'presenter.png') });

      await page.setViewportSize({ width: 1920, height: 1080 });
      expect(await fits()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('embeds one panel per ?embed= value and gives the iframe code', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`, { viewport: { width: 1366, height: 768 } });
    try {
      await waitReady(page);
      await page.getByTestId('embed-code-open').click();
      const snippet = (await page.getByTestId('embed-snippet').textContent()) ?? '';
      expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=heatmap#share=v1/);
      await page.getByTestId('embed-code-copy').click();
      await expect.poll(() => page.getByTestId('embed-code-status').textContent()).toMatch(/Copied|refused/);

      await page.setViewportSize({ width: 560, height: 680 });
      for (const kind of ['heatmap', 'card', 'landscape', 'race', 'lesson']) {
        await page.goto(`${baseUrl}/?embed=${kind}`);
        const root = page.getByTestId('embed-root');
        await root.waitFor();
        expect(await root.getAttribute('data-embed')).toBe(kind);
        expect(await page.locator('.topbar').count()).toBe(0);
        if (kind === 'race') await page.getByTestId('race-panel').waitFor();
        if (kind === 'lesson') await page.getByTestId('lesson-list-item').first().waitFor();
        expect(await horizontalOverflow(page), kind).toBeLessThanOrEqual(0);
      }
      await page.goto(`${baseUrl}/?embed=heatmap`);
      await waitReady(page);
      expect(await outsideViewport(page, ['[data-testid=gradient-heatmap]'])).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

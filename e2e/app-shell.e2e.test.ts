// The explorer shell in headless Chromium against the built app: backend choice (WASM on this machine's
// software renderer; the forced ?backend=webgl is checked with the same values in uploads.e2e.test.ts and, cold
// at 128², in webgl-cold-start.e2e.test.ts), loss values equal to what the library computes in Node for the same
// tensors, a non-blank heatmap, taxonomy keyboard navigation, a stable tensor count over 200 edits, and a
// session that survives a reload.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exampleMasks } from '../app/editing/example';
import { DEFAULT_GRID } from '../app/store/settings';
import { IMPLEMENTED_LOSSES } from '../src/registry';
import { canvasStats, compareValues, fullPageScreenshot, nodeValues, shownValues } from './fixtures/helpers';
import { connectBrowser, openPage, SCREENSHOT_DIR } from './lib';

type Hooked = {
  __segloss: {
    store: {
      getState(): Record<string, unknown> & {
        target: Int32Array;
        logits: Float32Array;
        width: number;
        height: number;
        numClasses: number;
        updates: number;
        numTensors: number;
        backendStatus: string;
        focusedLoss: string;
        setLogits(l: Float32Array): void;
        setTarget(t: Int32Array): void;
      };
    };
    flush(): Promise<void>;
    ready: Promise<void>;
  };
};

/** Library values in Node (cpu, the reference backend) for the built-in example. */
function exampleNodeValues(): Promise<Map<string, number | string>> {
  const m = exampleMasks(DEFAULT_GRID);
  return nodeValues(m.target, m.logits, m.height, m.width, m.numClasses);
}

async function waitForResults(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const s = (window as unknown as Hooked).__segloss?.store.getState();
      return s && s.backendStatus === 'ready' && s.updates > 0;
    },
    null,
    { timeout: 90_000 },
  );
  await page.evaluate(async () => {
    const h = (window as unknown as Hooked).__segloss;
    await h.ready;
    await h.flush();
  });
}

describe('explorer shell', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let expected: Map<string, number | string>;

  beforeAll(async () => {
    browser = await connectBrowser();
    expected = await exampleNodeValues();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('picks WASM on the software renderer and shows the values the library computes in Node', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`, { viewport: { width: 1500, height: 1000 } });
    await waitForResults(page);
    const badge = page.getByTestId('backend');
    expect(await badge.getAttribute('data-backend')).toBe('wasm');
    expect(await badge.textContent()).toMatch(/^wasm.*SwiftShader/);
    // The page shows exactly the example the test computed on.
    const same = await page.evaluate(
      ({ t, l }) => {
        const s = (window as unknown as Hooked).__segloss.store.getState();
        return (
          s.target.length === t.length &&
          s.target.every((v, i) => v === t[i]) &&
          s.logits.every((v, i) => Math.abs(v - (l[i] as number)) < 1e-6)
        );
      },
      { t: Array.from(exampleMasks(DEFAULT_GRID).target), l: Array.from(exampleMasks(DEFAULT_GRID).logits) },
    );
    expect(same).toBe(true);
    expect(compareValues(await shownValues(page), expected)).toEqual([]);
    // Every loss still marked 'coming' says so and shows no number.
    const coming = await page.$$eval('tr[data-loss-id] .coming', (els) => els.length);
    expect(coming).toBe(25 - IMPLEMENTED_LOSSES.length);

    const heat = page.getByTestId('gradient-heatmap');
    expect(await heat.getAttribute('data-loss-id')).toBe('dice');
    const stats = await canvasStats(page, '[data-testid="gradient-heatmap"]');
    expect(stats.width).toBe(DEFAULT_GRID);
    expect(stats.distinct).toBeGreaterThan(20);
    await fullPageScreenshot(page, join(SCREENSHOT_DIR, 'explorer-wasm.png'));
    expect(errors).toEqual([]);
    await close();
  });

  it('moves through the taxonomy with the keyboard and selects with Enter', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    await waitForResults(page);
    const nodes = page.getByTestId('taxonomy-node');
    expect(await nodes.count()).toBe(25);
    for (const n of await nodes.all()) expect((await n.getAttribute('aria-label'))?.length).toBeGreaterThan(3);
    // The focused loss (dice) is the tree's tab stop.
    await page.locator('[data-testid="taxonomy-node"][data-loss-id="dice"]').focus();
    await page.keyboard.press('ArrowDown');
    const active = () =>
      page.evaluate(
        () =>
          document.activeElement?.getAttribute('data-loss-id') ??
          document.activeElement?.getAttribute('data-category') ??
          '',
      );
    expect(await active()).toBe('log-cosh-dice');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('loss-card').getAttribute('data-loss-id')).toBe('log-cosh-dice');
    expect(await page.getByTestId('gradient-heatmap').getAttribute('data-loss-id')).toBe('log-cosh-dice');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await active()).toBe('region'); // the category node sits between the two groups
    await page.keyboard.press('ArrowUp');
    expect(await active()).toBe('distance-map-ce');
    // ArrowLeft goes to the parent category, a second ArrowLeft collapses it.
    await page.keyboard.press('ArrowLeft');
    expect(await active()).toBe('pixel');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('[data-category="pixel"]').getAttribute('aria-expanded')).toBe('false');
    expect(await nodes.count()).toBe(21);
    await page.keyboard.press('ArrowRight');
    expect(await nodes.count()).toBe(25);
    // Search and filters narrow the tree.
    // Search covers the cards' text too (papers, variants …): 'dice' also finds the losses built on Dice.
    await page.getByLabel('Search losses').fill('dice');
    expect(await nodes.count()).toBeGreaterThanOrEqual(3);
    expect(await nodes.count()).toBeLessThan(25);
    await page.getByLabel('Search losses').fill('Milletari');
    expect(await nodes.count()).toBe(1);
    await page.getByLabel('Search losses').fill('zzqx');
    expect(await nodes.count()).toBe(0);
    await expect.poll(() => page.getByTestId('taxonomy-no-match').count()).toBe(1);
    expect(errors).toEqual([]);
    await close();
  });

  it('keeps tf.memory().numTensors stable over 200 edits', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    await waitForResults(page);
    // 200 edits at pointer pace (one per animation frame); the bridge coalesces them into as many updates as
    // the machine manages. Every 25th edit changes the ground truth (rebuilds the GT context).
    const trace = await page.evaluate(async () => {
      const { store, flush } = (window as unknown as Hooked).__segloss;
      const start = store.getState();
      const base = { tensors: start.numTensors, updates: start.updates };
      const seen: number[] = [];
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
      for (let k = 0; k < 200; k++) {
        const s = store.getState();
        if (k % 25 === 24) {
          const t = s.target.slice();
          const i = (k * 131) % t.length;
          t[i] = 1 - (t[i] as number);
          s.setTarget(t);
        } else {
          const l = s.logits.slice();
          const i = (k * 7919) % l.length;
          l[i] = (l[i] as number) + 0.25;
          s.setLogits(l);
        }
        await frame();
        seen.push(store.getState().numTensors);
      }
      await flush();
      const end = store.getState();
      return { base, seen, tensors: end.numTensors, updates: end.updates - base.updates };
    });
    expect(trace.updates).toBeGreaterThanOrEqual(3);
    expect(trace.tensors).toBe(trace.base.tensors);
    expect(new Set(trace.seen)).toEqual(new Set([trace.base.tensors]));
    expect(Number(await page.getByTestId('stats').getAttribute('data-tensors'))).toBe(trace.base.tensors);
    expect(errors).toEqual([]);
    await close();
  });

  it('restores the session after a reload, and survives a corrupt one', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    await waitForResults(page);
    await page.locator('[data-testid="taxonomy-node"][data-loss-id="cross-entropy"]').click();
    const marker = await page.evaluate(async () => {
      const { store, flush } = (window as unknown as Hooked).__segloss;
      const s = store.getState();
      const t = s.target.slice();
      t[5] = 1;
      t[6] = 1;
      s.setTarget(t);
      await flush();
      return Array.from(store.getState().target.slice(0, 10));
    });
    await page.waitForTimeout(800); // autosave is debounced
    await page.reload();
    await waitForResults(page);
    const after = await page.evaluate(() => {
      const s = (window as unknown as Hooked).__segloss.store.getState();
      return { focused: s.focusedLoss, head: Array.from(s.target.slice(0, 10)) };
    });
    expect(after.focused).toBe('cross-entropy');
    expect(after.head).toEqual(marker);
    expect(await page.getByTestId('loss-card').getAttribute('data-loss-id')).toBe('cross-entropy');

    // Corrupt data: a notice, the example, no crash.
    await page.evaluate(() => localStorage.setItem('segloss-explorer:session', '{"schemaVersion": 99}'));
    await page.reload();
    await waitForResults(page);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'could not be restored' }).count()).toBe(1);
    expect(await page.getByTestId('loss-value').count()).toBeGreaterThan(0);
    await page.evaluate(() => localStorage.setItem('segloss-explorer:session', 'not json at all'));
    await page.reload();
    await waitForResults(page);
    expect(await page.getByRole('alert').filter({ hasText: 'could not be restored' }).count()).toBe(1);

    // Reset asks first.
    await page.getByTestId('reset').click();
    expect(await page.getByRole('alertdialog').count()).toBe(1);
    await page.getByTestId('reset-confirm').click();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  });

  it('rejects an invalid parameter with a message and keeps the last good value', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    await waitForResults(page);
    const before = await page.locator('[data-testid="loss-value"][data-loss-id="dice"]').getAttribute('data-value');
    const input = page.locator('#param-dice-smoothNr');
    await input.fill('abc');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('param-error').count()).toBe(1);
    await input.fill('-5');
    await input.press('Enter');
    expect(await page.getByTestId('param-error').textContent()).toMatch(/\[0, 10\]/);
    await page.evaluate(() => (window as unknown as Hooked).__segloss.flush());
    expect(await page.locator('[data-testid="loss-value"][data-loss-id="dice"]').getAttribute('data-value')).toBe(
      before,
    );
    expect(errors).toEqual([]);
    await close();
  });

  it('switches backend from the selector and says so', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/`);
    await waitForResults(page);
    await page.getByTestId('backend-select').selectOption('cpu');
    await expect.poll(() => page.getByTestId('backend').getAttribute('data-backend'), { timeout: 60_000 }).toBe('cpu');
    await page.evaluate(() => (window as unknown as Hooked).__segloss.flush());
    expect(compareValues(await shownValues(page), expected)).toEqual([]);
    expect(page.url()).toContain('backend=cpu');
    expect(errors).toEqual([]);
    await close();
  });

  it('computes on the main thread with ?compute=main, with the same values', async () => {
    const { page, errors, close } = await openPage(browser, `${baseUrl}/?compute=main`);
    await waitForResults(page);
    expect(await page.evaluate(() => (window as unknown as { __segloss: { thread: string } }).__segloss.thread)).toBe(
      'main thread',
    );
    expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe('wasm');
    expect(compareValues(await shownValues(page), expected)).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });
});

describe('explorer shell when a backend cannot start', () => {
  it('shows an alert, never a blank page or a silent switch', async () => {
    const browser = await connectBrowser();
    try {
      // Block the WASM binaries: the WASM backend cannot initialise.
      const context = await browser.newContext();
      await context.route('**/*.wasm', (route) => route.abort());
      const page = await context.newPage();
      await page.goto(`${inject('baseUrl')}/?backend=wasm`);
      await page.getByTestId('backend-error').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('backend-error').getAttribute('role')).toBe('alert');
      expect(await page.getByTestId('backend-error').textContent()).toMatch(/wasm/i);
      expect(await page.getByTestId('backend').textContent()).toMatch(/no backend/);
      expect(await page.getByTestId('taxonomy-node').count()).toBe(25);
      expect(await page.getByTestId('loss-value').count()).toBe(0);
      // The automatic choice skips to CPU — and says so in an alert.
      await page.goto(`${inject('baseUrl')}/`);
      await waitForResults(page);
      expect(await page.getByTestId('backend').getAttribute('data-backend')).toBe('cpu');
      expect(await page.getByRole('alert').filter({ hasText: 'wasm failed' }).count()).toBe(1);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});

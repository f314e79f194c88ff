// The metrics row in the built app: its values equal src/metrics in Node (argmax of the same logits) for the
// built-in example and after a stroke, it is marked stale until the update lands, an empty class reads
// "undefined" with its reason, and the compact row beside the live list stays on the first screen.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { segmentationMetrics } from '../src/metrics/segmentation-metrics';
import type { MetricValue } from '../src/metrics/types';
import { METRIC_NAMES } from '../src/metrics/types';
import { setNodeBackend } from '../src/testing/backends';
import { tf } from '../src/tf';
import { masksOf, waitReady } from './fixtures/helpers';
import { openPage, SCREENSHOT_DIR, useBrowser } from './lib';

type Shown = { metric: string; cls: string; value: string | null; stale: string | null; title: string | null };

const TABLE = '[data-testid=metrics-row][data-place=table] [data-testid=metric-value]';
const LIVE = '[data-testid=metrics-row][data-place=live] [data-testid=metric-value]';

function shown(page: Page, selector: string): Promise<Shown[]> {
  return page.$$eval(selector, (els) =>
    els.map((e) => ({
      metric: e.getAttribute('data-metric') ?? '',
      cls: e.getAttribute('data-class') ?? '',
      value: e.getAttribute('data-value'),
      stale: e.getAttribute('data-stale'),
      title: e.getAttribute('title'),
    })),
  );
}

function flushMetrics(page: Page): Promise<void> {
  return page.evaluate(() =>
    (window as unknown as { __segloss: { flushMetrics(): Promise<void> } }).__segloss.flushMetrics(),
  );
}

/** src/metrics in Node on the page's masks: `${metric}/${class|mean}` → number or 'undefined'. */
async function nodeMetrics(page: Page): Promise<Map<string, number | 'undefined'>> {
  const m = await masksOf(page);
  await setNodeBackend('cpu');
  const x = tf.tensor4d(m.logits, [1, m.height, m.width, m.numClasses]);
  const s = segmentationMetrics(x, m.target);
  x.dispose();
  const out = new Map<string, number | 'undefined'>();
  const v = (mv: MetricValue) => (mv.kind === 'value' ? mv.value : 'undefined');
  for (const k of METRIC_NAMES) {
    out.set(`${k}/mean`, v(s.mean[k]));
    for (const [c, mv] of s.perClass[k].entries()) out.set(`${k}/${c}`, v(mv));
  }
  return out;
}

function expectEqualToNode(rows: Shown[], ref: Map<string, number | 'undefined'>): void {
  expect(rows.length).toBe(ref.size);
  for (const r of rows) {
    const want = ref.get(`${r.metric}/${r.cls}`);
    expect(want, `${r.metric}/${r.cls}`).not.toBeUndefined();
    if (want === 'undefined') expect(r.value, `${r.metric}/${r.cls}`).toBe('undefined');
    else expect(Number(r.value), `${r.metric}/${r.cls}`).toBeCloseTo(want as number, 9);
    expect(r.stale).toBeNull();
  }
}

describe('metrics row', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();
  beforeAll(() => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  it('equals src/metrics for the example and after a stroke; stale meanwhile; an empty class is undefined', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1366, height: 768 },
    });
    try {
      await waitReady(page);
      await flushMetrics(page);
      // The compact row is on the first screen beside the live list.
      const live = page.locator('[data-testid=metrics-row][data-place=live]');
      const box = await live.boundingBox();
      expect(box && box.y >= 0 && box.y + box.height <= 768 && box.x + box.width <= 1366).toBe(true);
      const liveRows = await shown(page, LIVE);
      expect(liveRows.map((r) => `${r.metric}/${r.cls}`)).toEqual(METRIC_NAMES.map((k) => `${k}/mean`));
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'metrics-first-screen.png') });

      const example = await nodeMetrics(page);
      const ms = await page.locator('[data-testid=metrics-row][data-place=table]').getAttribute('data-ms');
      console.log(`[metrics] argmax + metrics at 64² in the worker: ${Number(ms).toFixed(1)} ms`);
      expectEqualToNode(await shown(page, TABLE), example);
      expect(example.get('dice/mean')).toBeGreaterThan(0.5); // the example's prediction overlaps its GT

      // A stroke of the label brush on the GT: the row is stale until the new metrics land (watched by a
      // MutationObserver, since the update can land between two polls).
      await page.evaluate(() => {
        const w = window as unknown as { __sawStale: boolean };
        w.__sawStale = false;
        const row = document.querySelector('[data-testid=metrics-row][data-place=live]') as Element;
        new MutationObserver(() => {
          if (row.getAttribute('data-stale') === 'true') w.__sawStale = true;
        }).observe(row, { attributes: true, attributeFilter: ['data-stale'] });
      });
      const gt = (await page.getByTestId('gt-canvas').boundingBox()) as { x: number; y: number; width: number };
      await page.mouse.move(gt.x + gt.width * 0.1, gt.y + gt.width * 0.1);
      await page.mouse.down();
      await page.mouse.move(gt.x + gt.width * 0.3, gt.y + gt.width * 0.2, { steps: 8 });
      await page.mouse.up();
      await flushMetrics(page);
      await expect.poll(() => live.getAttribute('data-stale')).toBeNull();
      expect(await page.evaluate(() => (window as unknown as { __sawStale: boolean }).__sawStale)).toBe(true);
      const stroked = await nodeMetrics(page);
      expect(stroked).not.toEqual(example);
      expectEqualToNode(await shown(page, TABLE), stroked);

      // The empty prediction: class 1 is absent from it, so its surface metrics are undefined (with MONAI's
      // reason), never numbers; its Dice score is 0.
      await page.getByTestId('derive-empty').click();
      await flushMetrics(page);
      await expect.poll(() => live.getAttribute('data-stale')).toBeNull();
      const rows = await shown(page, TABLE);
      expectEqualToNode(rows, await nodeMetrics(page));
      const cell = (k: string, c: string) => rows.find((r) => r.metric === k && r.cls === c) as Shown;
      expect(cell('dice', '1').value).toBe('0');
      for (const k of ['hd95', 'hd', 'assd']) {
        expect(cell(k, '1').value).toBe('undefined');
        expect(cell(k, '1').title).toMatch(/undefined — class absent from the prediction/);
        expect(cell(k, 'mean').value).toBe('undefined');
      }
      const text = await page.locator(`${TABLE}[data-metric=hd95][data-class="1"]`).textContent();
      expect(text).toBe('undefined');
      await expect
        .poll(() => page.getByTestId('metric-reasons').textContent())
        .toMatch(/HD95 mean: class 1 is undefined/);
      await page
        .locator('[data-testid=metrics-row][data-place=table]')
        .screenshot({ path: join(SCREENSHOT_DIR, 'metrics-row.png') });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

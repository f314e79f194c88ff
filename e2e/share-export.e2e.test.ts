import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { exampleMasks } from '../app/editing/example';
import { LOSSES } from '../src/registry';
import { parseCsv } from './fixtures/csv';
import { flush, masksOf, shownValues, waitReady } from './fixtures/helpers';
import { downloadBytes, openPage, useBrowser } from './lib';

type Hooked = {
  __segloss: {
    store: { getState(): Record<string, unknown> };
    ready: Promise<void>;
    flush(): Promise<void>;
  };
};

async function settle(page: Page): Promise<void> {
  await waitReady(page);
  await page.evaluate(async () => {
    const h = (window as unknown as Hooked).__segloss;
    await h.ready;
    await h.flush();
  });
}

async function dragOn(page: Page, testId: string, from: [number, number], to: [number, number]) {
  const box = (await page.getByTestId(testId).boundingBox()) as { x: number; y: number; width: number; height: number };
  await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 12 });
  await page.mouse.up();
}

async function paramsOf(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().params);
}

async function alerts(page: Page): Promise<string[]> {
  return page.$$eval('[role="alert"]', (els) => els.map((e) => e.textContent ?? ''));
}

async function makeLink(page: Page): Promise<string> {
  await page.getByTestId('share-copy').click();
  const url = page.getByTestId('share-url');
  await url.waitFor();
  return (await url.inputValue()) as string;
}

/** Downloads what `testId` exports: the suggested file name and the file's bytes. */
async function exported(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const menu = page.getByTestId('export-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: download.suggestedFilename(), bytes: await downloadBytes(download) };
}

describe('share link and export', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('opens a copied link in a fresh context with the sender’s parameters, masks and loss values', async () => {
    const sender = await openPage(browser(), `${baseUrl}/`, { viewport: { width: 1400, height: 1000 } });
    const page = sender.page;
    await settle(page);
    // A parameter of the focused loss (Dice) through its text field, and a ground-truth stroke.
    await page.locator('#param-dice-smoothNr').fill('0.125');
    await page.locator('#param-dice-smoothNr').press('Enter');
    await page.getByTestId('tool-brush').click();
    await page.getByTestId('legend-class-1').click();
    await dragOn(page, 'gt-canvas', [0.1, 0.95], [0.9, 0.95]);
    const link = await makeLink(page);
    expect(link).toMatch(/#share=v1&loss=dice&grid=64&/);
    expect(link).toContain('smoothNr');
    expect(await page.getByTestId('share-status').textContent()).toMatch(/characters/);
    await flush(page);
    const sent = await shownValues(page);
    const sentMasks = await masksOf(page);
    expect(sentMasks.target).not.toEqual(Array.from(exampleMasks(64).target)); // the stroke is in the link
    expect(sent.size).toBeGreaterThan(20);
    expect(sender.errors).toEqual([]);

    const receiver = await openPage(browser(), link, { viewport: { width: 1400, height: 1000 } });
    await settle(receiver.page);
    const got = await shownValues(receiver.page);
    expect([...got.entries()].sort()).toEqual([...sent.entries()].sort());
    const gotMasks = await masksOf(receiver.page);
    expect(gotMasks.target).toEqual(sentMasks.target);
    expect(gotMasks.logits).toEqual(sentMasks.logits);
    expect(await paramsOf(receiver.page)).toEqual({ dice: { smoothNr: 0.125 } });
    // The hash is consumed: a reload shows the (autosaved) state, not the link again.
    expect(await receiver.page.evaluate(() => window.location.hash)).toBe('');
    expect(await alerts(receiver.page)).toEqual([]);
    expect(receiver.errors).toEqual([]);
    await receiver.close();
    await sender.close();
  });

  it('shows an alert for malformed links and keeps the current state working', async () => {
    const good = await openPage(browser(), `${baseUrl}/`);
    await settle(good.page);
    const link = await makeLink(good.page);
    await good.close();
    const hash = link.slice(link.indexOf('#'));

    const { page, errors, close } = await openPage(browser(), `${baseUrl}/${hash.slice(0, hash.length - 30)}`);
    await settle(page);
    expect((await alerts(page)).join(' ')).toMatch(/share link cannot be opened: .*(cut off|incomplete|damaged)/);
    const example = exampleMasks(64);
    expect((await masksOf(page)).target).toEqual(Array.from(example.target));
    const before = await shownValues(page);
    expect(before.get('dice')).toBeGreaterThan(0);

    // Links pasted into the open tab: each kind of fault names itself and changes nothing.
    const bad: [string, RegExp][] = [
      [hash.replace('share=v1', 'share=v7'), /newer version/],
      [hash.replace('loss=dice', 'loss=nope'), /unknown loss id 'nope'/],
      [hash.replace('size=64x64x2', 'size=64x32x2'), /covers .* pixels/],
      [hash.replace('grid=64', 'grid=65'), /grid size '65'/],
      [hash.replace('&end=1', '&p=%7B%22dice%22%3A%7B%22smoothNr%22%3A%22NaN%22%7D%7D&end=1'), /finite number/],
    ];
    for (const [h, why] of bad) {
      const n = (await alerts(page)).length;
      await page.evaluate((x) => {
        window.location.hash = x;
      }, h);
      await page.waitForFunction((k) => document.querySelectorAll('[role="alert"]').length > k, n);
      expect((await alerts(page)).join(' ')).toMatch(why);
    }
    await flush(page);
    expect(await shownValues(page)).toEqual(before);
    // Still working: a parameter change updates the value.
    await page.locator('#param-dice-smoothNr').fill('0.5');
    await page.locator('#param-dice-smoothNr').press('Enter');
    await flush(page);
    expect((await shownValues(page)).get('dice')).not.toBe(before.get('dice'));
    expect(errors).toEqual([]);
    await close();
  });

  it('offers a link without masks when the masks make it too long', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`);
    await settle(page);
    // A noisy 8-class prediction on 128² does not compress: far over the 60,000-character limit.
    await page.evaluate(() => {
      const st = (window as unknown as Hooked).__segloss.store.getState() as Record<string, unknown> & {
        loadMasks(m: unknown, meta: unknown): void;
      };
      const n = 128 * 128;
      let seed = 12345;
      const rnd = () => {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        return seed / 2 ** 32;
      };
      const target = Int32Array.from({ length: n }, () => Math.floor(rnd() * 8));
      const logits = Float32Array.from({ length: n * 8 }, () => rnd() * 3);
      st.loadMasks({ width: 128, height: 128, numClasses: 8, target, logits }, { source: 'noise' });
    });
    await page.getByTestId('share-copy').click();
    const warning = page.getByTestId('share-too-long');
    await warning.waitFor();
    expect(await warning.getAttribute('role')).toBe('alert');
    expect(await warning.textContent()).toMatch(/over the 60,000/);
    await page.getByTestId('share-without-masks').click();
    const link = await page.getByTestId('share-url').inputValue();
    expect(link).toMatch(/#share=v1&loss=dice&grid=128&/);
    expect(link).not.toMatch(/[&#](gt|pred|size)=/);
    expect(await page.getByTestId('share-status').textContent()).toMatch(/without masks/);
    expect(errors).toEqual([]);
    await close();
  });

  it('exports the loss table as CSV and JSON with the values shown, and PNGs at 3×', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`);
    await settle(page);
    const shown = await shownValues(page);

    const csv = await exported(page, 'export-csv');
    expect(csv.name).toMatch(/^segloss-losses-.*\.csv$/);
    const table = parseCsv(csv.bytes.toString('utf8'));
    expect(table.length).toBe(1 + 25);
    const head = table[0] as string[];
    const col = (name: string) => head.indexOf(name);
    expect(table.slice(1).map((r) => r[col('id')])).toEqual(LOSSES.map((d) => d.id));
    for (const r of table.slice(1)) {
      expect(r.length).toBe(head.length);
      const id = r[col('id')] as string;
      const v = shown.get(id);
      if (v === undefined) continue; // 'coming' or switched off: no value in the table either
      expect(r[col('status')], id).toBe('ok');
      expect(Math.fround(Number(r[col('value')])), id).toBe(v);
    }

    const json = JSON.parse((await exported(page, 'export-json')).bytes.toString('utf8'));
    expect(json.losses).toHaveLength(25);
    expect(json.app.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(json.backend).toBe(await page.getByTestId('backend').getAttribute('data-backend'));
    expect(json.grid).toEqual({ width: 64, height: 64 });
    for (const l of json.losses as { id: string; value: number | null }[]) {
      if (shown.has(l.id)) expect(l.value, l.id).toBe(shown.get(l.id));
    }

    const png = await exported(page, 'export-png-ground-truth-3');
    expect(png.name).toBe('segloss-ground-truth-64x64@3x.png');
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([192, 192]);
    const heat = await exported(page, 'export-png-heatmap-2');
    expect([heat.bytes.readUInt32BE(16), heat.bytes.readUInt32BE(20)]).toEqual([128, 128]);
    expect(errors).toEqual([]);
    await close();
  });
});

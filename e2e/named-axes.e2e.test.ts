// Landscapes along named axes and per-pixel curves in headless Chromium against the built app:
// - the classic no-overlap demo: Dice and IoU flat over a shift range where boundary loss and HD still slope;
// - Tversky's value tilts between FN and FP mass with α/β;
// - a 65×65 grid is cancelled; a 33×33 named-axis 2-D grid (shift x × dilate) renders with Dice iso-lines, a click sets the prediction
//   (one undo step) and Ctrl+Z restores it; screenshot + timing for the README;
// - the per-pixel curve of cross-entropy is −log p and focal's ratio to it is (1 − p)^γ.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { flush, masksOf, waitReady } from './fixtures/helpers';
import { openPage, SCREENSHOT_DIR, useBrowser } from './lib';

type Hooked = { __segloss: { store: { getState(): { focusedLoss: string; source: string } } } };

async function selectLoss(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="taxonomy-node"][data-loss-id="${id}"]`).click();
  await page.waitForFunction(
    (want) => (window as unknown as Hooked).__segloss.store.getState().focusedLoss === want,
    id,
  );
}

async function loadPreset(page: Page, id: string): Promise<void> {
  const value = await page
    .locator(`[data-testid="preset-select"] option[data-preset-id="${id}"]`)
    .getAttribute('value');
  await page.getByTestId('preset-select').selectOption(value ?? '');
  await page.getByTestId('preset-load').click();
  await page.waitForFunction(
    () => /overlap/i.test((window as unknown as Hooked).__segloss.store.getState().source),
    null,
  );
  await flush(page);
}

/** Ticks exactly `ids` in the named panel's loss picker. */
async function chooseLosses(page: Page, ids: string[]): Promise<void> {
  const panel = page.getByTestId('named-panel');
  const details = panel.locator('details.compare-picker');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
  for (const box of await panel.getByTestId('named-loss').all()) {
    await box.setChecked(ids.includes((await box.getAttribute('data-loss-id')) ?? ''));
  }
}

async function setAxis(page: Page, which: 'a' | 'b', transform: string, from: number, to: number): Promise<void> {
  await page.getByTestId(`named-axis-${which}`).selectOption(transform);
  await page.getByTestId(`named-from-${which}`).fill(String(from));
  await page.getByTestId(`named-to-${which}`).fill(String(to));
}

async function computeNamed(page: Page): Promise<number> {
  await page.getByTestId('named-compute').click();
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="named-status"]')?.getAttribute('data-status');
      return s === 'done' || s === 'error';
    },
    null,
    { timeout: 120_000 },
  );
  if (await page.getByTestId('named-error').count())
    throw new Error(`named landscape failed: ${await page.getByTestId('named-error').textContent()}`);
  return Number(await page.getByTestId('named-result').getAttribute('data-ms'));
}

async function series(page: Page): Promise<Map<string, number[]>> {
  const rows = await page.$$eval('[data-testid="named-series"]', (els) =>
    els.map(
      (e) =>
        [e.getAttribute('data-series') ?? '', (e.getAttribute('data-values') ?? '').split(',').map(Number)] as const,
    ),
  );
  return new Map(rows);
}

const span = (v: number[]) => Math.max(...v) - Math.min(...v);

describe('landscapes along named axes', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();
  beforeAll(() => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  it('no-overlap preset: Dice and IoU are flat along shift x where boundary loss and HD still slope', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    await loadPreset(page, 'no-overlap');
    await page.getByTestId('named-panel').scrollIntoViewIfNeeded();
    await page.getByTestId('named-1d').check();
    await chooseLosses(page, ['dice', 'boundary-loss', 'hausdorff-distance']);
    await setAxis(page, 'a', 'shift-x', -16, 16);
    await page.getByTestId('named-points').fill('9');
    const ms = await computeNamed(page);
    const s = await series(page);
    const dice = s.get('metric:dice') ?? [];
    const iou = s.get('metric:iou') ?? [];
    expect(dice).toHaveLength(9);
    // The prediction is 64 px right of the object (radius ~17 px): ±16 px never overlaps.
    expect(dice.every((v) => v === 0)).toBe(true);
    expect(iou.every((v) => v === 0)).toBe(true);
    const soft = s.get('dice') ?? [];
    const bl = s.get('boundary-loss') ?? [];
    const hd = s.get('hausdorff-distance') ?? [];
    // Moving left (towards the object) lowers the distance losses, monotonically.
    for (const v of [bl, hd]) {
      expect(v).toHaveLength(9);
      expect(span(v)).toBeGreaterThan(1e-3 * Math.max(...v.map(Math.abs)));
      for (let i = 1; i < v.length; i++) expect(v[i] as number).toBeGreaterThan(v[i - 1] as number);
    }
    // The soft Dice loss barely moves (the soft tails overlap a little).
    expect(span(soft)).toBeLessThan(1e-2);
    expect(await page.getByTestId('named-chart').getAttribute('data-normalised')).toBe('minmax');
    // The metrics of src/metrics on the same chart: HD95 and HD of the argmax still slope where Dice is flat,
    // by about the shift (±16 px: 32 px end to end).
    for (const id of ['metric:hd95', 'metric:hd']) {
      const v = s.get(id) ?? [];
      expect(v, id).toHaveLength(9);
      for (let i = 1; i < v.length; i++) expect(v[i] as number, id).toBeGreaterThan(v[i - 1] as number);
      expect((v[8] as number) - (v[0] as number), id).toBeCloseTo(32, -1);
    }
    // Not normalised, the distances (px) get their own right-hand axis.
    await page.getByTestId('named-normalise').uncheck();
    await expect.poll(() => page.getByTestId('named-px-axis').count()).toBe(1);
    expect(await page.locator('[data-testid=named-series][data-series="metric:hd95"]').getAttribute('data-axis')).toBe(
      'px',
    );
    expect(await page.locator('[data-testid=named-series][data-series="metric:dice"]').getAttribute('data-axis')).toBe(
      'left',
    );
    console.log(`[named-axes] no-overlap 128², 9 points × 3 losses + metrics: ${ms.toFixed(0)} ms`);
    expect(errors).toEqual([]);
    await close();
  });

  it("Tversky's value tilts between FN and FP mass with α (FP weight) and β (FN weight)", async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    await selectLoss(page, 'tversky');
    await page.getByTestId('named-panel').scrollIntoViewIfNeeded();
    await page.getByTestId('named-1d').check();
    await chooseLosses(page, ['tversky']);
    await page.getByTestId('named-points').fill('5');
    const rise = async (transform: string) => {
      await setAxis(page, 'a', transform, 0, 0.25);
      await computeNamed(page);
      const v = (await series(page)).get('tversky') ?? [];
      expect(v).toHaveLength(5);
      return (v[4] as number) - (v[0] as number);
    };
    const tilt: Record<string, { fn: number; fp: number }> = {};
    for (const [alpha, beta] of [
      [0.2, 0.8],
      [0.8, 0.2],
    ] as const) {
      for (const [name, v] of [
        ['alpha', alpha],
        ['beta', beta],
      ] as const) {
        await page.locator(`#param-tversky-${name}`).fill(String(v));
        await page.locator(`#param-tversky-${name}`).press('Enter');
      }
      await flush(page);
      tilt[`${alpha}`] = { fn: await rise('fn-mass'), fp: await rise('fp-mass') };
    }
    console.log(`[named-axes] tversky rise along FN / FP mass: ${JSON.stringify(tilt)}`);
    // Moving weight from FP (α) to FN (β) tilts the loss towards FN mass: the FN/FP ratio of the rises grows.
    const ratio = (k: string) => (tilt[k]?.fn as number) / (tilt[k]?.fp as number);
    for (const k of ['0.2', '0.8']) expect(Math.min(tilt[k]?.fn as number, tilt[k]?.fp as number)).toBeGreaterThan(0);
    expect(ratio('0.2')).toBeGreaterThan(1.5 * ratio('0.8'));
    expect(errors).toEqual([]);
    await close();
  });

  it('2-D named grid (33×33 shift x × dilate): contours + Dice iso-lines; a click sets the prediction, one undo restores it', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1400, height: 1100 },
    });
    await waitReady(page);
    await selectLoss(page, 'dice');
    const panel = page.getByTestId('named-panel');
    await panel.scrollIntoViewIfNeeded();
    await page.getByTestId('named-2d').check();
    await setAxis(page, 'a', 'shift-x', -8, 8);
    await setAxis(page, 'b', 'dilate', -4, 4);
    expect(await page.getByTestId('named-points').inputValue()).toBe('33');
    // Cancel: a 65×65 grid started and stopped shows "Cancelled." and leaves the masks alone.
    await page.getByTestId('named-points').fill('65');
    await page.getByTestId('named-compute').click();
    await page.getByTestId('named-progress').waitFor();
    await page.getByTestId('named-cancel').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="named-status"]')?.getAttribute('data-status') === 'error',
    );
    expect(await page.getByTestId('named-error').textContent()).toBe('Cancelled.');
    expect(await page.getByTestId('named-result').count()).toBe(0);
    await page.getByTestId('named-points').fill('33');
    const ms = await computeNamed(page);
    const grid = page.getByTestId('named-grid');
    expect(await grid.getAttribute('data-cols')).toBe('33');
    expect(await grid.getAttribute('data-rows')).toBe('33');
    expect(await page.getByTestId('named-band').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('named-dice-iso').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('named-origin').count()).toBe(1);
    console.log(`[named-axes] 33×33 dice grid at 64² (1,089 points): ${ms.toFixed(0)} ms`);
    await panel.screenshot({ path: join(SCREENSHOT_DIR, 'named-axes.png') });

    const before = await masksOf(page);
    const box = await page.getByTestId('named-click-area').boundingBox();
    if (!box) throw new Error('no click area');
    await page.mouse.click(box.x + box.width * 0.85, box.y + box.height * 0.2);
    await page.getByTestId('named-adopted').waitFor();
    await flush(page);
    const after = await masksOf(page);
    expect(after.logits).not.toEqual(before.logits);
    expect(after.target).toEqual(before.target);
    expect(after.pastLength).toBe(before.pastLength + 1);
    // Clicked at 85 % of the width: a shift to the right.
    const [a] = ((await page.getByTestId('named-adopted').getAttribute('data-point')) ?? '').split(',').map(Number);
    expect(a).toBeGreaterThan(4);
    expect(await page.getByTestId('named-stale').count()).toBe(1);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await flush(page);
    const undone = await masksOf(page);
    expect(undone.logits).toEqual(before.logits);
    expect(undone.pastLength).toBe(before.pastLength);
    expect(errors).toEqual([]);
    await close();
  });

  it('per-pixel curves: cross-entropy is −log p, focal / CE is (1 − p)^γ; a click on the map picks the pixel', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    const panel = page.getByTestId('pixel-panel');
    await panel.scrollIntoViewIfNeeded();
    const map = page.getByTestId('pixel-map');
    const box = await map.boundingBox();
    if (!box) throw new Error('no pixel map');
    // through the locator, which waits for the map to stand still: the panels around it render as they come near
    // the viewport (content-visibility) and may then take their real height
    await map.click({ position: { x: box.width * 0.5 + 1, y: box.height * 0.5 + 1 } });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="pixel-status"]')?.getAttribute('data-status') === 'done',
      null,
      { timeout: 60_000 },
    );
    const result = page.getByTestId('pixel-result');
    expect(Number(await result.getAttribute('data-x'))).toBe(32);
    expect(Number(await result.getAttribute('data-y'))).toBe(32);
    const ps = ((await page.getByTestId('pixel-chart-contribution').getAttribute('data-ps')) ?? '')
      .split(',')
      .map(Number);
    const curve = async (id: string, kind: string) =>
      (
        (await panel
          .locator(`[data-testid="pixel-curve"][data-loss-id="${id}"][data-kind="${kind}"]`)
          .getAttribute('data-values')) ?? ''
      )
        .split(',')
        .map(Number);
    const ce = await curve('cross-entropy', 'contribution');
    const ceGrad = await curve('cross-entropy', 'gradient');
    const focal = await curve('focal', 'contribution');
    const ref = -Math.log(1 - 1e-4);
    for (const i of [0, 10, 20, 30, 40]) {
      const p = ps[i] as number;
      expect(Math.abs((ce[i] as number) - (-Math.log(p) - ref))).toBeLessThan(2e-3 * Math.max(1, -Math.log(p)));
      expect(Math.abs((ceGrad[i] as number) - -1 / p)).toBeLessThan(1e-2 * (1 / p));
    }
    // Focal (γ = 2 by default): its ratio to CE between two points is ((1 − p₁)/(1 − p₂))².
    const r = (i: number) => (focal[i] as number) / (ce[i] as number);
    const [i1, i2] = [4, 20];
    expect(r(i1) / r(i2)).toBeCloseTo(((1 - (ps[i1] as number)) / (1 - (ps[i2] as number))) ** 2, 2);
    await panel.screenshot({ path: join(SCREENSHOT_DIR, 'pixel-curves.png') });
    expect(errors).toEqual([]);
    await close();
  });
});

// Pen and touch input, persisted tool settings and the loss live region, in headless Chromium against the built
// app: pointer events with pointerType 'pen' / 'touch' and a pressure are dispatched on the editor canvases.
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { formatNumber } from '../app/format-number';
import { getLoss } from '../src/registry';
import { flush, masksOf, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

type Hooked = {
  __segloss: {
    store: {
      getState(): Record<string, unknown> & {
        setBrushSize(r: number): void;
        setPredBrush(p: Record<string, unknown>): void;
      };
    };
  };
};

interface StrokeSpec {
  testId: string;
  pointerType: 'pen' | 'touch' | 'mouse';
  pressure: number;
  /** Points as fractions of the canvas box. */
  points: [number, number][];
  /** Dispatch only the down and moves (a stroke in progress), only the up, or all (default). */
  part?: 'start' | 'end' | 'all';
}

/** One stroke (down, moves, up) of synthetic PointerEvents on an editor canvas. */
async function stroke(page: Page, spec: StrokeSpec): Promise<void> {
  await page.evaluate((s) => {
    const el = document.querySelector(`[data-testid="${s.testId}"]`) as HTMLElement;
    const r = el.getBoundingClientRect();
    const at = ([fx, fy]: [number, number]) => ({ clientX: r.left + fx * r.width, clientY: r.top + fy * r.height });
    const base = { bubbles: true, cancelable: true, pointerId: 7, pointerType: s.pointerType, isPrimary: true };
    const [first, ...rest] = s.points;
    const part = s.part ?? 'all';
    if (part !== 'end') {
      el.dispatchEvent(
        new PointerEvent('pointerdown', { ...base, ...at(first!), button: 0, buttons: 1, pressure: s.pressure }),
      );
      for (const p of rest)
        el.dispatchEvent(
          new PointerEvent('pointermove', { ...base, ...at(p), button: -1, buttons: 1, pressure: s.pressure }),
        );
    }
    if (part !== 'start')
      el.dispatchEvent(
        new PointerEvent('pointerup', { ...base, ...at(rest.at(-1) ?? first!), button: 0, buttons: 0, pressure: 0 }),
      );
  }, spec);
}

function diffCount(a: number[], b: number[]): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

function absDiff(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s;
}

const LINE: [number, number][] = [
  [0.2, 0.93],
  [0.4, 0.93],
  [0.6, 0.93],
  [0.8, 0.93],
];

describe('pen, touch and accessibility', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('paints with touch until a pen is used, then rejects touch; pressure scales the brushes when enabled', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    await page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().setBrushSize(8));
    await page.getByTestId('legend-class-1').click();

    // Touch paints while no pen has been seen.
    const m0 = await masksOf(page);
    await stroke(page, { testId: 'gt-canvas', pointerType: 'touch', pressure: 0.5, points: LINE });
    const m1 = await masksOf(page);
    expect(diffCount(m0.target, m1.target)).toBeGreaterThan(20);
    expect(m1.pastLength).toBe(m0.pastLength + 1);
    await page.keyboard.press('Control+z');

    // A pen stroke (pressure toggle off: full size whatever the pressure) — one undo entry.
    const before = await masksOf(page);
    expect(before.target).toEqual(m0.target);
    await stroke(page, { testId: 'gt-canvas', pointerType: 'pen', pressure: 0.2, points: LINE });
    const penOff = await masksOf(page);
    const fullCount = diffCount(before.target, penOff.target);
    expect(fullCount).toBe(diffCount(m0.target, m1.target));
    expect(penOff.pastLength).toBe(before.pastLength + 1);
    expect(await page.getByTestId('gt-canvas').getAttribute('data-pen-seen')).toBe('true');
    expect(await page.getByTestId('pred-canvas').getAttribute('data-pen-seen')).toBe('true');
    await page.keyboard.press('Control+z');

    // Palm rejection: touch does nothing now, on either canvas.
    await stroke(page, { testId: 'gt-canvas', pointerType: 'touch', pressure: 0.5, points: LINE });
    await stroke(page, { testId: 'pred-canvas', pointerType: 'touch', pressure: 0.5, points: LINE });
    const palm = await masksOf(page);
    expect(palm.target).toEqual(before.target);
    expect(palm.logits).toEqual(before.logits);
    expect(palm.pastLength).toBe(before.pastLength);
    // The mouse still works.
    const box = (await page.getByTestId('gt-canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.93);
    expect((await masksOf(page)).pastLength).toBe(before.pastLength + 1);
    await page.keyboard.press('Control+z');

    // Pressure on: a light pen stroke paints a thinner line (size 8 × 0.25 = 2), full pressure the full size.
    await page.getByTestId('pen-pressure').check();
    await stroke(page, { testId: 'gt-canvas', pointerType: 'pen', pressure: 0.25, points: LINE });
    const light = await masksOf(page);
    const lightCount = diffCount(before.target, light.target);
    expect(light.pastLength).toBe(before.pastLength + 1);
    await page.keyboard.press('Control+z');
    await stroke(page, { testId: 'gt-canvas', pointerType: 'pen', pressure: 1, points: LINE });
    const hard = await masksOf(page);
    expect(diffCount(before.target, hard.target)).toBe(fullCount);
    expect(lightCount).toBeGreaterThan(0);
    expect(lightCount).toBeLessThan(fullCount * 0.6);
    await page.keyboard.press('Control+z');

    // The soft prediction brush: strength scales with pressure (0.25 moves the logits less than 1).
    await stroke(page, { testId: 'pred-canvas', pointerType: 'pen', pressure: 0.25, points: LINE });
    const softLight = await masksOf(page);
    expect(softLight.pastLength).toBe(before.pastLength + 1);
    await page.keyboard.press('Control+z');
    await stroke(page, { testId: 'pred-canvas', pointerType: 'pen', pressure: 1, points: LINE });
    const softHard = await masksOf(page);
    const dLight = absDiff(before.logits, softLight.logits);
    const dHard = absDiff(before.logits, softHard.logits);
    expect(dLight).toBeGreaterThan(0);
    expect(dLight).toBeLessThan(dHard * 0.6);
    await flush(page);
    expect(errors).toEqual([]);
    await close();
  });

  it('keeps the tool settings across a reload, and Reset restores the defaults', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`);
    await waitReady(page);
    await page.getByTestId('tool-disc').click();
    await page.getByTestId('pen-pressure').check();
    await page.evaluate(() => {
      const s = (window as unknown as Hooked).__segloss.store.getState();
      s.setBrushSize(11);
      s.setPredBrush({ radius: 21, strength: 0.8, cls: 0, mode: 'lower' });
    });
    await page.waitForTimeout(800); // autosave is debounced
    await page.reload();
    await waitReady(page);
    const tools = () =>
      page.evaluate(() => {
        const s = (window as unknown as Hooked).__segloss.store.getState();
        return { tool: s.tool, brushSize: s.brushSize, predBrush: s.predBrush, penPressure: s.penPressure };
      });
    expect(await tools()).toEqual({
      tool: 'disc',
      brushSize: 11,
      predBrush: { cls: 0, radius: 21, strength: 0.8, mode: 'lower' },
      penPressure: true,
    });
    expect(await page.getByTestId('tool-disc').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('pen-pressure').isChecked()).toBe(true);
    expect(await page.getByTestId('brush-size').inputValue()).toBe('11');
    expect(await page.getByTestId('pred-radius').inputValue()).toBe('21');

    await page.getByTestId('reset').click();
    await page.getByTestId('reset-confirm').click();
    expect(await tools()).toEqual({
      tool: 'brush',
      brushSize: 3,
      predBrush: { cls: 1, radius: 8, strength: 0.5, mode: 'raise' },
      penPressure: false,
    });
    expect(await page.getByTestId('pen-pressure').isChecked()).toBe(false);
    await page.reload();
    await waitReady(page);
    expect((await tools()).tool).toBe('brush');
    expect(errors).toEqual([]);
    await close();
  });

  it('announces the focused loss value in a polite live region after an edit', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/`, {
      viewport: { width: 1400, height: 1000 },
    });
    await waitReady(page);
    const region = page.getByTestId('loss-announcer');
    expect(await region.getAttribute('aria-live')).toBe('polite');
    const initial = await page.evaluate(() => (window as unknown as Hooked).__segloss.store.getState().focusedLoss);
    await expect.poll(() => region.textContent(), { timeout: 5000 }).toMatch(/ is /);
    const quiet = await region.textContent();
    // While the stroke is in progress the values update but the region stays quiet …
    await stroke(page, { testId: 'gt-canvas', pointerType: 'mouse', pressure: 0.5, points: LINE, part: 'start' });
    await flush(page);
    const updatesBefore = await page.evaluate(
      () => (window as unknown as Hooked).__segloss.store.getState().updates as number,
    );
    expect(updatesBefore).toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    expect(await region.textContent()).toBe(quiet);
    // … and speaks once the stroke ends.
    await stroke(page, { testId: 'gt-canvas', pointerType: 'mouse', pressure: 0.5, points: LINE, part: 'end' });
    await flush(page);
    const expected = await page.evaluate(() => {
      const s = (window as unknown as Hooked).__segloss.store.getState() as unknown as {
        focusedLoss: string;
        results: Record<string, { value: number | null }>;
      };
      return { id: s.focusedLoss, value: s.results[s.focusedLoss]?.value ?? null };
    });
    expect(expected.id).toBe(initial);
    const want = `${getLoss(expected.id as never).name} is ${formatNumber(expected.value)}`;
    await expect.poll(() => region.textContent(), { timeout: 5000 }).toBe(want);
    expect(errors).toEqual([]);
    await close();
  });
});

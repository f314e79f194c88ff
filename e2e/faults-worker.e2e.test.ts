// Issue 14 §2: a compute worker that ends (self.close()), crashes (an uncaught error) or whose WASM engine
// aborts used to freeze the app for good (every later update hung or failed until reload). Now the app says
// what happened, restarts the worker on the same backend, re-sends the state and recomputes: masks, undo
// history, settings and values are what they were, and later edits compute. Faults come from test hooks
// (?testHooks=1, app/compute/test-hooks.ts).
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { enableOnly, fault, kept, waitRecovered } from './fixtures/faults';
import { backendOf, flush, shownValues, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

type Hooked = { __segloss: { store: { getState(): Record<string, unknown> } } };

/** A stroke-sized edit of the prediction (one undo entry): class 1 gains 1.5 logits everywhere. */
async function edit(page: Page): Promise<void> {
  await page.evaluate(() => {
    const s = (window as unknown as Hooked).__segloss.store.getState() as {
      logits: Float32Array;
      numClasses: number;
      setLogits(l: Float32Array): void;
    };
    const l = s.logits.slice();
    for (let i = 1; i < l.length; i += s.numClasses) l[i] = (l[i] as number) + 1.5;
    s.setLogits(l);
  });
}

async function undo(page: Page): Promise<void> {
  await page.evaluate(() => {
    const s = (window as unknown as Hooked).__segloss.store.getState() as { undo(): void };
    s.undo();
  });
}

describe('compute worker faults', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('restarts a worker that closed, crashed or whose WASM engine aborted, and loses nothing', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm&testHooks=1`);
    await waitReady(page);
    await enableOnly(page, ['dice', 'cross-entropy', 'hausdorff-distance', 'inverseform']);
    await edit(page); // an undo entry that must survive
    await flush(page);
    const before = await kept(page);
    const values = await shownValues(page);
    expect(values.size).toBe(4);

    // 1. self.close(): detected through the Web Lock the worker held, restarted, recomputed.
    await fault(page, 'closeWorker');
    const closed = await waitRecovered(page, /compute worker stopped/);
    expect(closed).toMatch(/restarting the compute engine on wasm/);
    expect(await kept(page)).toEqual(before);
    expect(await shownValues(page)).toEqual(values);
    expect(await backendOf(page)).toBe('wasm');

    // 2. An uncaught error in the worker (its `error` event).
    await fault(page, 'crashWorker');
    await waitRecovered(page, /compute worker crashed/);
    expect(await kept(page)).toEqual(before);
    expect(await shownValues(page)).toEqual(values);

    // 3. The WASM engine aborts on the next compute (an edit): restarted, the edit's values computed; Undo
    // brings back the values of before.
    await fault(page, 'abortNext');
    await edit(page);
    await waitRecovered(page, /WASM engine aborted: Aborted\(\)/);
    const edited = await shownValues(page);
    expect(edited.get('dice')).not.toBe(values.get('dice'));
    expect(await page.getByTestId('stats').textContent()).not.toMatch(/Update failed/);
    await undo(page);
    await flush(page);
    expect(await kept(page)).toEqual(before);
    expect(await shownValues(page)).toEqual(values);

    // Later edits work.
    await edit(page);
    await flush(page);
    expect(await shownValues(page)).toEqual(edited);
    expect(await page.locator('[data-testid="loss-value"][data-stale="true"]').count()).toBe(0);
    // The page's own errors: the simulated crash is reported by the browser as an uncaught worker error.
    expect(errors.filter((e) => !/crash simulated by a test hook/.test(e))).toEqual([]);
    await close();
  });

  it('on the page (?compute=main), a WASM abort re-creates the backend and later updates work', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=wasm&compute=main&testHooks=1`);
    await waitReady(page);
    await enableOnly(page, ['dice', 'cross-entropy', 'inverseform']);
    const before = await kept(page);
    const values = await shownValues(page);
    await fault(page, 'abortNext');
    await edit(page);
    const notice = await waitRecovered(page, /WASM engine aborted/);
    expect(notice).toMatch(/restarting the compute engine on the page on wasm/);
    const edited = await shownValues(page);
    expect(edited.size).toBe(3);
    expect(edited.get('dice')).not.toBe(values.get('dice'));
    await undo(page);
    await flush(page);
    expect(await kept(page)).toEqual(before);
    expect(await shownValues(page)).toEqual(values);
    expect(await backendOf(page)).toBe('wasm');
    expect(errors).toEqual([]);
    await close();
  });
});

import { describe, expect, inject, it } from 'vitest';
import { enableOnly, fault, kept, waitRecovered } from './fixtures/faults';
import { backendOf, compareValues, flush, shownValues, waitReady } from './fixtures/helpers';
import { openPage, useBrowser } from './lib';

type Hooked = {
  __segloss: {
    store: { getState(): Record<string, unknown>; subscribe(f: (s: Record<string, unknown>) => void): void };
  };
  __statuses: string[];
};

describe('WebGL context loss', () => {
  const baseUrl = inject('baseUrl');
  const browser = useBrowser();

  it('says so, restarts WebGL and recomputes the same values; a switch to WASM after a loss does not hang', async () => {
    const { page, errors, close } = await openPage(browser(), `${baseUrl}/?backend=webgl&testHooks=1`);
    await waitReady(page);
    expect(await backendOf(page)).toBe('webgl');
    await enableOnly(page, ['dice', 'cross-entropy', 'boundary-loss']);
    const before = await kept(page);
    const values = await shownValues(page);
    expect(values.size).toBe(3);
    // Every backend status from now on: the badge must leave "ready" while the engine is replaced.
    await page.evaluate(() => {
      const w = window as unknown as Hooked;
      w.__statuses = [w.__segloss.store.getState().backendStatus as string];
      w.__segloss.store.subscribe((s) => {
        const last = w.__statuses[w.__statuses.length - 1];
        if (s.backendStatus !== last) w.__statuses.push(s.backendStatus as string);
      });
    });

    await fault(page, 'loseContext');
    const notice = await waitRecovered(page, /WebGL context was lost/);
    expect(notice).toMatch(/restarting the compute engine on webgl/);
    expect(await page.evaluate(() => (window as unknown as Hooked).__statuses)).toEqual(['ready', 'starting', 'ready']);
    expect(await backendOf(page)).toBe('webgl');
    expect(await kept(page)).toEqual(before);
    expect(compareValues(await shownValues(page), values)).toEqual([]);

    // Again, with an edit whose update runs into the lost context and a switch to WASM right away: the switch
    // does not wait for the hung update, lands on WASM and computes the edit; Undo brings back the values.
    await fault(page, 'loseContext');
    await page.evaluate(() => {
      const s = (window as unknown as Hooked).__segloss.store.getState() as {
        logits: Float32Array;
        setLogits(l: Float32Array): void;
      };
      s.setLogits(s.logits.map((v) => v * 1.5));
    });
    await page.getByTestId('backend-select').selectOption('wasm');
    await waitRecovered(page, /WebGL context was lost/, 2);
    await expect.poll(() => page.getByTestId('backend').getAttribute('data-backend'), { timeout: 60_000 }).toBe('wasm');
    await flush(page);
    expect(await backendOf(page)).toBe('wasm');
    const edited = await shownValues(page);
    expect(edited.size).toBe(3);
    expect(edited.get('dice')).not.toBe(values.get('dice'));
    // Undo brings back the example, with the values it had on WebGL.
    await page.evaluate(() => {
      const s = (window as unknown as Hooked).__segloss.store.getState() as { undo(): void };
      s.undo();
    });
    await flush(page);
    expect(compareValues(await shownValues(page), values)).toEqual([]);
    expect(await kept(page)).toEqual(before);
    expect(errors).toEqual([]);
    await close();
  });
});

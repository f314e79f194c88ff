import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerServiceWorker } from './register';

describe('registerServiceWorker', () => {
  let register: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubEnv('PROD', true);
    register = vi.fn(() => Promise.resolve({}));
    vi.stubGlobal('navigator', { serviceWorker: { register } });
    vi.stubGlobal('document', { baseURI: 'https://example.org/explorer/' });
    vi.stubGlobal('requestIdleCallback', (cb: () => void) => setTimeout(cb, 50));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
  });

  it('waits for the first start, then registers sw.js in the page scope when idle', async () => {
    let started: () => void = () => {};
    registerServiceWorker(new Promise<void>((r) => (started = r)));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(register).not.toHaveBeenCalled();
    started();
    await vi.advanceTimersByTimeAsync(0);
    expect(register).not.toHaveBeenCalled(); // not before the idle callback
    await vi.advanceTimersByTimeAsync(50);
    expect(register).toHaveBeenCalledTimes(1);
    expect(register).toHaveBeenCalledWith('https://example.org/explorer/sw.js', { scope: './' });
  });

  it('registers after 15 s when the start never finishes or fails', async () => {
    registerServiceWorker(new Promise<void>(() => {}));
    await vi.advanceTimersByTimeAsync(14_000);
    expect(register).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_100);
    expect(register).toHaveBeenCalledTimes(1);

    registerServiceWorker(Promise.reject(new Error('no backend')));
    await vi.advanceTimersByTimeAsync(100);
    expect(register).toHaveBeenCalledTimes(2);
  });

  it('does nothing in a development build', async () => {
    vi.stubEnv('PROD', false);
    registerServiceWorker(Promise.resolve());
    await vi.advanceTimersByTimeAsync(20_000);
    expect(register).not.toHaveBeenCalled();
  });
});

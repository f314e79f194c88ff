import { errorMessage } from '../messages';

/** How long the registration waits for the first start at most (a stalled weights request must not hold it up). */
const START_WAIT_MS = 15_000;

/**
 * Registers the offline service worker (dist/sw.js, written by scripts/offline/precache-plugin.ts). Production
 * builds only; any failure is logged and ignored: the explorer works the same without it, only not offline.
 *
 * It waits for `started` (the backend is up and the first values are on screen), then for an idle moment:
 * installing the worker fetches the whole build into the cache and Chromium compiles every cached script then
 * (≈ 1 s of CPU on a 2-core machine), which, started at the load event, delayed the first values by as much.
 */
export function registerServiceWorker(started: Promise<unknown>): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker
      .register(new URL('sw.js', document.baseURI).href, { scope: './' })
      .catch((e: unknown) => console.warn(`Offline support unavailable: ${errorMessage(e)}`));
  };
  const whenIdle = () => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(register, { timeout: 2_000 });
    else setTimeout(register, 0);
  };
  const timeout = new Promise((resolve) => setTimeout(resolve, START_WAIT_MS));
  void Promise.race([started.catch(() => undefined), timeout]).then(whenIdle);
}

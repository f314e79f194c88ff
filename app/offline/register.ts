import { errorMessage } from '../messages';
/**
 * Registers the offline service worker (dist/sw.js, written by scripts/offline/precache-plugin.ts). Production
 * builds only; any failure is logged and ignored: the explorer works the same without it, only not offline.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker
      .register(new URL('sw.js', document.baseURI).href, { scope: './' })
      .catch((e: unknown) => console.warn(`Offline support unavailable: ${errorMessage(e)}`));
  };
  // After load, so that caching the build does not compete with the first start.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

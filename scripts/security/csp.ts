/**
 * The explorer's Content-Security-Policy, as one string used twice: a <meta http-equiv> tag written into the
 * built index.html (static hosts) and a response header from `npm start` (`vite preview`).
 *
 * - script-src 'self' 'wasm-unsafe-eval' blob: no inline script, no eval; TF.js's WASM backend must compile
 *   its .wasm binaries, which is all 'wasm-unsafe-eval' allows, and its threaded binary starts its helper
 *   threads from blob: scripts that it builds itself (no user text ever becomes a script).
 * - style-src 'unsafe-inline': KaTeX positions glyphs with inline style attributes (style, not script).
 * - worker-src 'self' blob: the compute worker is a built file; TF.js's threaded WASM starts blob: workers.
 * - img/connect 'self' data: blob: uploads, exports and canvases stay in the page; nothing remote anywhere.
 * Not in the meta tag (browsers ignore them there): frame-ancestors, which stays open so that the explorer
 * can be embedded in slides and learning platforms.
 */
/**
 * Cross-origin isolation (COOP + COEP): it gives the page SharedArrayBuffer, which TF.js's threaded SIMD WASM
 * binary needs. Everything the explorer loads is same-origin, so `require-corp` blocks nothing. `npm start` sends
 * them; for static hosts that cannot set headers the offline service worker adds them to what it serves.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

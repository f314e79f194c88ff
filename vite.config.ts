import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precachePlugin } from './scripts/offline/precache-plugin';
import { CONTENT_SECURITY_POLICY, ISOLATION_HEADERS } from './scripts/security/csp';
import { cspPlugin } from './scripts/security/csp-plugin';

// Two pages: the explorer (index.html) and the golden-vector runner used by `npm run golden -- --backend webgl`
// and the browser tests (e2e/golden.html). Relative base so the build works from any folder.
export default defineConfig({
  base: './',
  // precachePlugin writes dist/sw.js, the service worker that keeps the explorer working offline; cspPlugin
  // puts the Content-Security-Policy meta tag into the built page (scripts/security/csp.ts).
  plugins: [react(), precachePlugin(), cspPlugin()],
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        golden: resolve(import.meta.dirname, 'e2e/golden.html'),
      },
    },
  },
  // Deep tfjs imports found late by the dev server would trigger a reload mid-test (spike pitfall 8).
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients.js',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-wasm',
    ],
  },
  // `npm start` (vite preview) also sends the policy as a header, and isolates the page for threaded WASM.
  // The compute worker is bundled without renaming identifiers: TF.js's threaded WASM starts its helper threads
  // from the text of a factory function (Function.prototype.toString), which must not refer to names a minifier
  // shortened outside it (tfjs#4539: "ReferenceError: e is not defined" in every helper thread).
  worker: {
    format: 'es',
    rolldownOptions: { output: { minify: false } },
  },
  preview: {
    host: '127.0.0.1',
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, ...ISOLATION_HEADERS },
  },
  server: { host: '127.0.0.1' },
});

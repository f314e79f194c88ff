import { defineConfig } from 'vitest/config';

// Node unit tests: the loss library on the CPU (reference) and WASM backends, plus app logic without a DOM.
// Browser checks (WebGL) run against the built app from scripts/ and e2e/, not here.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each worker runs its files one after another in one module graph: TF.js and its backends are imported
    // once per worker instead of once per file (201 s → 63 s for the suite on a 2-core machine). Tests therefore
    // must not depend on state another file left: the setup file puts each file on the cpu backend.
    isolate: false,
    setupFiles: ['src/testing/vitest-setup.ts'],
  },
});

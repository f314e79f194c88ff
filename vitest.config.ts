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
  },
});

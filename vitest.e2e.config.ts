import { defineConfig } from 'vitest/config';

// Browser tests: Node-side Vitest driving the system Chromium through playwright-core (e2e/lib).
// They run against the BUILT app: `npm run build` first (npm test does). The global setup serves dist/
// on 127.0.0.1 and provides its URL as inject('baseUrl'). One file at a time: the machine has 2 cores and
// software WebGL is CPU-bound.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/lib/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The files share one module graph (the Node-side references import TF.js once, not once per file: 60 s →
    // 7 s of imports per run). Each file sets the Node backend it computes its references on.
    isolate: false,
  },
});

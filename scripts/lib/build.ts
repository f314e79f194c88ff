// Builds the explorer + golden runner pages with Vite's JS API (config: vite.config.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const DIST_DIR = join(REPO_ROOT, 'dist');

/** Set by `npm test` after its own `npm run build`: use dist/ as it is instead of building again. */
export const DIST_FRESH_ENV = 'SEGLOSS_DIST_FRESH';

export async function buildApp(outDir: string): Promise<void> {
  await build({
    root: REPO_ROOT,
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

/**
 * A built app for the browser runners. With SEGLOSS_DIST_FRESH=1 and a complete dist/, that is used as is;
 * otherwise the app is built into a temporary folder (so that a run never clobbers a dist/ someone else is
 * serving), removed again by `cleanup()`.
 */
export async function builtApp(log: (s: string) => void = () => {}): Promise<{ dir: string; cleanup(): void }> {
  if (process.env[DIST_FRESH_ENV] === '1') {
    if (!existsSync(join(DIST_DIR, 'e2e/golden.html'))) {
      throw new Error(`${DIST_FRESH_ENV}=1 but dist/e2e/golden.html is missing: run \`npm run build\``);
    }
    log(`using dist/ as built (${DIST_FRESH_ENV}=1)`);
    return { dir: DIST_DIR, cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'segloss-build-'));
  const t0 = performance.now();
  await buildApp(dir);
  log(
    `built the app with Vite in ${((performance.now() - t0) / 1000).toFixed(1)} s (set ${DIST_FRESH_ENV}=1 to reuse dist/)`,
  );
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

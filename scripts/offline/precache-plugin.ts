/**
 * Vite plugin (build only) that writes dist/sw.js: the service worker that makes the explorer work offline
 * after its first visit. It lists the built files to precache and names the cache after their content hash.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { serviceWorkerSource } from './service-worker-source';

export const SERVICE_WORKER_FILE = 'sw.js';

/**
 * Which built files (paths relative to dist/, '/' separated) the explorer needs offline: everything except the
 * test pages under e2e/ and their own entry chunks (`skip`), source maps, the service worker itself and the
 * KaTeX .woff/.ttf fallbacks (every browser with service workers uses the .woff2 fonts).
 */
export function precacheFiles(all: readonly string[], skip: ReadonlySet<string> = new Set()): string[] {
  return all
    .filter(
      (f) =>
        !f.startsWith('e2e/') &&
        !skip.has(f) &&
        f !== SERVICE_WORKER_FILE &&
        !f.endsWith('.map') &&
        !/^assets\/KaTeX_.*\.(woff|ttf)$/.test(f),
    )
    .sort();
}

/** A short hash of the files' names and contents: changes whenever any precached file does. */
export function precacheVersion(files: readonly string[], read: (file: string) => Uint8Array): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update('\0').update(read(f)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

export function precachePlugin(): Plugin {
  let outDir = 'dist';
  // Entry chunks of pages other than the explorer (the golden runner): not needed offline.
  const otherEntries = new Set<string>();
  return {
    name: 'segloss-precache',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk' && item.isEntry && item.name !== 'main') otherEntries.add(item.fileName);
      }
    },
    writeBundle() {
      const files = precacheFiles(listFiles(outDir), otherEntries);
      const version = precacheVersion(files, (f) => readFileSync(join(outDir, f)));
      writeFileSync(join(outDir, SERVICE_WORKER_FILE), serviceWorkerSource(version, files));
    },
  };
}

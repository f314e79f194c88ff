import { describe, expect, it } from 'vitest';
import { precacheFiles, precacheVersion } from './precache-plugin';
import { CACHE_PREFIX, serviceWorkerSource } from './service-worker-source';

const BUILT = [
  'index.html',
  'sw.js',
  'e2e/golden.html',
  'assets/golden-abc.js',
  'assets/main-abc.js',
  'assets/main-abc.js.map',
  'assets/worker-abc.js',
  'assets/tfjs-backend-wasm-abc.wasm',
  'assets/KaTeX_Main-Regular-abc.woff2',
  'assets/KaTeX_Main-Regular-abc.woff',
  'assets/KaTeX_Main-Regular-abc.ttf',
  'presets/index.json',
  'models/inverseform/model.json',
  'models/inverseform/group1-shard1of1.bin',
];

describe('precache list', () => {
  it('keeps what the explorer needs offline and drops test pages, maps, the worker itself and font fallbacks', () => {
    expect(precacheFiles(BUILT, new Set(['assets/golden-abc.js']))).toEqual([
      'assets/KaTeX_Main-Regular-abc.woff2',
      'assets/main-abc.js',
      'assets/tfjs-backend-wasm-abc.wasm',
      'assets/worker-abc.js',
      'index.html',
      'models/inverseform/group1-shard1of1.bin',
      'models/inverseform/model.json',
      'presets/index.json',
    ]);
  });

  it('versions the cache by content: a changed file gives a new version, the same files the same one', () => {
    const files = ['index.html', 'presets/index.json'];
    const v1 = precacheVersion(files, (f) => new TextEncoder().encode(`${f} v1`));
    expect(precacheVersion(files, (f) => new TextEncoder().encode(`${f} v1`))).toBe(v1);
    expect(precacheVersion(files, (f) => new TextEncoder().encode(`${f} v2`))).not.toBe(v1);
    expect(v1).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('service worker source', () => {
  it('embeds the versioned cache name and the file list, and parses as a script', () => {
    const src = serviceWorkerSource('0123abcd', ['index.html', 'assets/a.js']);
    expect(src).toContain(JSON.stringify(`${CACHE_PREFIX}0123abcd`));
    expect(src).toContain('["index.html","assets/a.js"]');
    expect(() => new Function(src)).not.toThrow();
  });

  it('adds the cross-origin isolation headers to what it serves', () => {
    const src = serviceWorkerSource('0123abcd', ['index.html']);
    expect(src).toContain('"Cross-Origin-Opener-Policy":"same-origin"');
    expect(src).toContain('"Cross-Origin-Embedder-Policy":"require-corp"');
    expect(src).toContain('cacheFirst(request).then(isolated)');
    expect(src).toContain('networkFirstShell(request).then(isolated)');
  });
});

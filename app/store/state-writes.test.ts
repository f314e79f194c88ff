// Issue 10.3: the app store changes only through its slice actions. A `useStore.setState(` outside app/store/
// (or any store's `setState(` inside a component) fails here, naming the file and line; the fix is a named action
// in the slice (app/store/*.ts) or in the panel's own store. Tests may still seed state directly.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const APP = join(ROOT, 'app');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** `file:line: text` of every line of `files` matching `pattern`. */
function hits(files: string[], pattern: RegExp): string[] {
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('state changes go through slice actions', () => {
  const files = sourceFiles(APP);

  it('finds the app sources (the check is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(hits([join(APP, 'store', 'index.ts')], /createStore<AppState>/)).toHaveLength(1);
  });

  it('no useStore.setState( outside app/store/', () => {
    const outside = files.filter((f) => !relative(APP, f).startsWith('store'));
    expect(hits(outside, /useStore\s*\.\s*setState\s*\(/)).toEqual([]);
  });

  it('no component calls a store’s setState( (panels use their store’s actions)', () => {
    const components = files.filter((f) => f.endsWith('.tsx'));
    expect(hits(components, /\.\s*setState\s*\(/)).toEqual([]);
  });
});

// Issue 10.6: one idiom for non-null indexed access in app/ — `xs[i]!` (tsconfig's noUncheckedIndexedAccess
// makes `xs[i]` possibly undefined), not `xs[i] as number`, which also hides a wrong element type.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('code idioms in app/', () => {
  it('non-null indexed access is written xs[i]!, never xs[i] as number / as string', () => {
    const files = sourceFiles(join(ROOT, 'app'));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\]\s+as\s+(number|string)\b/.test(line) ? [`${relative(ROOT, f)}:${i + 1}`] : [])),
    );
    expect(found).toEqual([]);
  });
});

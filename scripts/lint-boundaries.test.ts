// Issue 10.2: the module boundaries are lint rules (biome.json overrides), not a convention. Each probe is a
// temporary file placed where the rule applies, linted by the project's own Biome, then deleted.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

/** Lints `source` as the file `relPath` (relative to the repository root); returns exit status and output. */
function lintProbe(relPath: string, source: string): { status: number | null; output: string } {
  const file = join(ROOT, relPath);
  writeFileSync(file, source);
  try {
    const r = spawnSync(BIOME, ['lint', '--max-diagnostics=50', file], { cwd: ROOT, encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

const probe = (dir: string) => `${dir}/lint-probe-${process.pid}.ts`;

describe('module boundaries (biome noRestrictedImports / noRestrictedGlobals)', () => {
  it('a deep import from app/ into src/ops fails and names the entry point to use', () => {
    const r = lintProbe(
      probe('app'),
      "import { mulberry32 } from '../src/ops/random';\n\nexport const r = mulberry32(1);\n",
    );
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('noRestrictedImports');
    expect(r.output).toContain("'src' (src/index.ts)");
  });

  it('app/ may import the public entry points', () => {
    const r = lintProbe(
      probe('app'),
      "import { mulberry32 } from '../src';\nimport { rng } from '../src/testing';\n\nexport const r = [mulberry32(1), rng(2)];\n",
    );
    expect(r.output).not.toContain('noRestrictedImports');
    expect(r.status).toBe(0);
  });

  it('src/ may not import React, app/ or scripts/, nor use DOM globals', () => {
    const r = lintProbe(
      probe('src'),
      [
        "import { useState } from 'react';",
        "import { LossTable } from '../app/components/LossTable';",
        "import { build } from '../scripts/lib/build';",
        '',
        'export const x = [useState, LossTable, build, document.title, window.innerWidth];',
        '',
      ].join('\n'),
    );
    expect(r.status).not.toBe(0);
    expect(r.output.match(/noRestrictedImports/g)?.length).toBe(3);
    expect(r.output).toContain('src/ is the loss library');
    expect(r.output).toContain('document is a DOM global');
    expect(r.output).toContain('window is a DOM global');
  });
});

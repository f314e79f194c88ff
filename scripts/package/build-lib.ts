// npm run build:lib — the loss library (src/) as an npm package in dist-lib/:
//   dist/index.js, dist/node.js   ESM bundles of src/index.ts and src/node.ts (Vite library mode); TensorFlow.js
//                                 and node: modules stay imports (TF.js is a peer dependency)
//   types/                        .d.ts files (tsc -p tsconfig.lib.json)
//   models/inverseform/           InverseForm's network weights (load with `segloss-losses/node` or by URL)
//   register.mjs                  `node --import segloss-losses/register`: lets Node load tfjs-core's ESM build
//   package.json, README.md, LICENSE-free notice of the weights' origin
// `npm pack ./dist-lib` then makes the tarball (see scripts/package/check.ts, which CI runs).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { libraryManifest, libraryReadme } from './manifest';

const ROOT = resolve(import.meta.dirname, '../..');
export const LIB_DIR = join(ROOT, 'dist-lib');

export async function buildLibrary(log: (s: string) => void = console.error): Promise<string> {
  const t0 = performance.now();
  rmSync(LIB_DIR, { recursive: true, force: true });
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: join(LIB_DIR, 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: true,
      lib: {
        entry: { index: join(ROOT, 'src/index.ts'), node: join(ROOT, 'src/node.ts') },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        external: (id) => id.startsWith('@tensorflow/') || id.startsWith('node:'),
      },
    },
  });
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.lib.json')],
    {
      stdio: 'inherit',
    },
  );
  mkdirSync(join(LIB_DIR, 'models'), { recursive: true });
  cpSync(join(ROOT, 'public/models/inverseform'), join(LIB_DIR, 'models/inverseform'), { recursive: true });
  cpSync(join(ROOT, 'scripts/lib/extensionless-hook.mjs'), join(LIB_DIR, 'extensionless-hook.mjs'));
  writeFileSync(
    join(LIB_DIR, 'register.mjs'),
    "// node --import segloss-losses/register: resolves tfjs-core's extensionless ESM imports (see extensionless-hook.mjs).\nimport { register } from 'node:module';\n\nregister('./extensionless-hook.mjs', import.meta.url);\n",
  );
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  writeFileSync(join(LIB_DIR, 'package.json'), `${JSON.stringify(libraryManifest(root), null, 2)}\n`);
  writeFileSync(join(LIB_DIR, 'README.md'), libraryReadme(root.version));
  log(`built the library into dist-lib/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return LIB_DIR;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildLibrary().catch((e: Error) => {
    console.error(`build:lib: ${e.stack ?? e.message}`);
    process.exit(1);
  });
}

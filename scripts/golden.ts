// npm run golden -- [--backend cpu|wasm|webgl] <file-or-folder>...
// Checks golden files (../shared/golden/SPEC.md format) against the registry on one backend and prints one
// line per loss, then `N passed, M failed`. Exit status 1 on any failure. See README "Golden checker".
import { formatReport } from '../src/golden/check';
import { GOLDEN_BACKENDS, type GoldenBackend, runNodeGolden, runWebglGolden } from './lib/backends';
import { startBrowserSession } from './lib/browser-session';
import { readGoldenInputs } from './lib/golden-files';

const USAGE = `usage: npm run golden -- [--backend cpu|wasm|webgl] <file-or-folder>...
  cpu (default) and wasm run in Node; webgl builds the app (or uses dist/ when SEGLOSS_DIST_FRESH=1),
  serves it and runs the cases in headless Chromium on WebGL. A folder means its *.json files.
  Without paths: src/golden/data.`;

function parseArgs(argv: string[]): { backend: GoldenBackend; paths: string[] } {
  let backend: string = 'cpu';
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '--backend' || a === '-b') backend = argv[++i] ?? '';
    else if (a.startsWith('--backend=')) backend = a.slice('--backend='.length);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else paths.push(a);
  }
  if (!(GOLDEN_BACKENDS as readonly string[]).includes(backend)) {
    throw new Error(`unknown backend '${backend}' (cpu, wasm or webgl)\n${USAGE}`);
  }
  return { backend: backend as GoldenBackend, paths: paths.length ? paths : ['src/golden/data'] };
}

async function main(): Promise<number> {
  const { backend, paths } = parseArgs(process.argv.slice(2));
  const { files, errors } = readGoldenInputs(paths);
  const t0 = performance.now();
  let results = errors;
  if (backend === 'webgl') {
    const session = await startBrowserSession((s) => console.log(s));
    try {
      const run = await runWebglGolden(session, files);
      console.log(run.header);
      results = [...errors, ...run.results];
    } finally {
      await session.close();
    }
  } else {
    results = [...errors, ...(await runNodeGolden(backend, files))];
  }
  console.log(`(${files.length} file(s) on ${backend} in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(formatReport(results, backend));
  return results.length > 0 && results.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`golden: ${e.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);

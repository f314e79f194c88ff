// npm run test:golden: every golden file of src/golden/data on cpu and wasm (Node) and webgl (one headless
// Chromium session for all files), three reports and a combined `N passed, M failed`. Exit 1 on any failure.
// Set SEGLOSS_DIST_FRESH=1 to reuse dist/ (npm test builds it once) instead of building into a temp folder.
import { resolve } from 'node:path';
import { type CaseResult, fileErrorResult, formatReport, totalsLine } from '../src/golden/check';
import { runNodeGolden, runWebglGolden } from './lib/backends';
import { startBrowserSession } from './lib/browser-session';
import { readGoldenInputs } from './lib/golden-files';

const DATA = resolve(import.meta.dirname, '../src/golden/data');

async function main(): Promise<number> {
  const { files, errors } = readGoldenInputs([DATA]);
  const all: CaseResult[] = [];
  const section = (title: string, results: CaseResult[], backend: string, t0: number) => {
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`\n== ${title}: ${files.length} files, ${secs} s ==`);
    console.log(formatReport(results, backend));
    all.push(...results);
  };

  for (const backend of ['cpu', 'wasm'] as const) {
    const t0 = performance.now();
    section(`${backend} (Node)`, [...errors, ...(await runNodeGolden(backend, files))], backend, t0);
  }

  const t0 = performance.now();
  let webgl: CaseResult[];
  let header: string;
  try {
    const session = await startBrowserSession((s) => console.log(s));
    try {
      ({ header, results: webgl } = await runWebglGolden(session, files));
    } finally {
      await session.close();
    }
  } catch (e) {
    header = `FAIL: could not run the browser: ${(e as Error).message}`;
    webgl = [fileErrorResult('browser', header)];
  }
  console.log(header);
  section('webgl (Chromium)', [...errors, ...webgl], 'webgl', t0);

  console.log('\n== all backends (cpu + wasm + webgl) ==');
  console.log(totalsLine(all));
  return all.length > 0 && all.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`test:golden: ${e.stack ?? e.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);

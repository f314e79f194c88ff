// npm run bench [-- --size 256 --classes 2,4 --loss dice,iou --backends cpu,wasm,webgl,browser-wasm|none]
//                [--warmup 2] [--reps 10]
//                [--app [--app-sizes 64,128,256] [--app-reps 7] [--app-warmup 5] [--app-dist DIR] [--app-cold]] [--json FILE]
//                [--compare OLD.json]
// Median time of value + gradient for every implemented loss (src/golden/bench.ts) on Node cpu, Node wasm,
// and in headless Chromium on webgl and wasm; prints a markdown table, `median (first call)` in ms.
// Numbers only: nothing asserts on timings. On CI/this machine WebGL is SwiftShader (software), so its numbers
// say nothing about a real GPU. `--json FILE` also writes the rows with the machine (scripts/bench/report.ts);
// `--compare OLD.json` prints new/old ratios for the rows both runs have. `--app` also times the explorer in
// headless Chromium (scripts/bench/app.ts): edit → focused value on screen and edit → all values current.
import { readFileSync, writeFileSync } from 'node:fs';
import { type BenchOptions, type BenchRow, benchAll, benchTable, DEFAULT_BENCH } from '../src/golden/bench';
import { loadInverseFormNetFromFile } from '../src/inverseform/load-node';
import { type AppBenchOptions, benchApp, DEFAULT_APP_BENCH } from './bench/app';
import {
  type BenchReport,
  compareReports,
  comparisonTable,
  machineInfo,
  parseReport,
  reportRows,
} from './bench/report';
import { startBrowserSession } from './lib/browser-session';
import { selectNodeBackend } from './lib/node-backend';

const ALL = ['cpu', 'wasm', 'webgl', 'browser-wasm'] as const;
type Column = (typeof ALL)[number];
const REPORT_BACKEND: Record<Column, string> = {
  cpu: 'node-cpu',
  wasm: 'node-wasm',
  webgl: 'chromium-webgl',
  'browser-wasm': 'chromium-wasm',
};
const LABELS: Record<Column, string> = {
  cpu: 'Node cpu',
  wasm: 'Node wasm',
  webgl: 'Chromium webgl',
  'browser-wasm': 'Chromium wasm',
};

interface Args {
  opts: BenchOptions;
  columns: Column[];
  json: string | null;
  compare: string | null;
  app: AppBenchOptions | null;
}

function parseArgs(argv: string[]): Args {
  const opts: BenchOptions = { ...DEFAULT_BENCH };
  let columns: Column[] = [...ALL];
  let json: string | null = null;
  let compare: string | null = null;
  let app: AppBenchOptions | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--size') opts.size = Number(next());
    else if (a === '--classes') opts.classes = next().split(',').map(Number);
    else if (a === '--loss' || a === '--losses') opts.losses = next().split(',');
    else if (a === '--reps') opts.maxReps = Number(next());
    else if (a === '--warmup') opts.warmup = Number(next());
    else if (a === '--json') json = next();
    else if (a === '--compare') compare = next();
    else if (a === '--app') app = { ...DEFAULT_APP_BENCH, ...(app ?? {}) };
    else if (a === '--app-sizes') app = { ...DEFAULT_APP_BENCH, ...(app ?? {}), sizes: next().split(',').map(Number) };
    else if (a === '--app-dist') app = { ...DEFAULT_APP_BENCH, ...(app ?? {}), dist: next() };
    else if (a === '--app-reps') app = { ...DEFAULT_APP_BENCH, ...(app ?? {}), reps: Number(next()) };
    else if (a === '--app-warmup') app = { ...DEFAULT_APP_BENCH, ...(app ?? {}), warmup: Number(next()) };
    else if (a === '--app-cold') app = { ...DEFAULT_APP_BENCH, ...(app ?? {}), cold: true };
    else if (a === '--backends') {
      const list = next();
      columns = list === 'none' ? [] : (list.split(',') as Column[]);
      const bad = columns.filter((c) => !ALL.includes(c));
      if (bad.length) throw new Error(`unknown backend(s) ${bad.join(', ')} (${ALL.join(', ')})`);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.size) || opts.size < 8) throw new Error('--size must be an integer >= 8');
  if (!Number.isInteger(opts.warmup) || opts.warmup < 0) throw new Error('--warmup must be an integer >= 0');
  if (opts.classes.some((c) => !Number.isInteger(c) || c < 2)) throw new Error('--classes must be integers >= 2');
  if (app && (app.reps < 1 || !(app.warmup >= 1) || app.sizes.some((n) => !Number.isInteger(n) || n < 8)))
    throw new Error('--app-reps and --app-warmup must be >= 1 and --app-sizes integers >= 8');
  return { opts, columns, json, compare, app };
}

async function main(): Promise<void> {
  const { opts, columns, json, compare, app } = parseArgs(process.argv.slice(2));
  // Read the old report first: a bad file fails before minutes of timing.
  const old = compare ? parseReport(readFileSync(compare, 'utf8'), compare) : null;
  const results: { label: string; rows: BenchRow[] }[] = [];
  const report: BenchReport = { machine: machineInfo(), rows: [] };
  const notes: string[] = [];
  const timed = async (col: Column, run: () => Promise<BenchRow[]>) => {
    const t0 = performance.now();
    const rows = await run();
    console.error(`${LABELS[col]}: ${rows.length} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    results.push({ label: LABELS[col], rows });
    report.rows.push(...reportRows(rows, opts.size, REPORT_BACKEND[col]));
  };

  for (const col of columns.filter((c) => c === 'cpu' || c === 'wasm')) {
    await timed(col, async () => {
      await selectNodeBackend(col as 'cpu' | 'wasm');
      // InverseForm needs its pretrained network (public/models/inverseform); without it its rows say so.
      await loadInverseFormNetFromFile().catch((e: Error) =>
        console.error(`InverseForm network not loaded: ${e.message}`),
      );
      return benchAll(opts, (r) =>
        console.error(
          `  ${col} ${r.loss} C=${r.classes}: ${r.error ? `error ${r.error}` : `${r.medianMs?.toFixed(1)} ms (first ${r.firstMs?.toFixed(0)} ms, ${r.reps} reps)`}`,
        ),
      );
    });
  }
  const browserCols = columns.filter((c) => c === 'webgl' || c === 'browser-wasm');
  if (browserCols.length) {
    const session = await startBrowserSession((s) => console.error(s));
    try {
      for (const col of browserCols) {
        const info = await session.page.setBackend(col === 'webgl' ? 'webgl' : 'wasm');
        if (col === 'webgl') notes.push(`WebGL renderer: ${info.renderer}`);
        await timed(col, () => session.page.bench(opts));
      }
    } finally {
      await session.close();
    }
  }

  let appRows: BenchReport['rows'] = [];
  if (app) {
    const t0 = performance.now();
    const res = await benchApp(app, (m) => console.error(m));
    appRows = res.rows;
    report.rows.push(...appRows);
    notes.push(`Explorer: ${res.backend}.`);
    console.error(`app: ${appRows.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  if (results.length) {
    console.log(`\nValue + gradient (tf.valueAndGrad), [1, ${opts.size}, ${opts.size}, C] logits, median of up to`);
    console.log(`${opts.maxReps} calls after ${opts.warmup} warm-up calls, in ms; the first call in parentheses.`);
    console.log(`Node ${process.version}. ${notes.join(' ')}\n`);
    console.log(benchTable(results, opts.size));
  } else console.log(`\nNode ${process.version}. ${notes.join(' ')}`);
  if (appRows.length) {
    console.log(
      `\nExplorer (median of ${app?.reps} edits after ${app?.warmup} untimed, ms; the first edit after the resize in parentheses):\n`,
    );
    console.log('| size | edit → focused value + heatmap | edit → all values current |');
    console.log('|---|---:|---:|');
    for (const size of app?.sizes ?? []) {
      const f = appRows.find((r) => r.size === size && r.loss === 'edit→focused');
      const a = appRows.find((r) => r.size === size && r.loss === 'edit→all');
      const cell = (r?: BenchReport['rows'][number]) => `${r?.medianMs?.toFixed(0)} (${r?.firstMs?.toFixed(0)})`;
      console.log(`| ${size}² | ${cell(f)} | ${cell(a)} |`);
    }
  }
  if (json) {
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    console.error(`wrote ${report.rows.length} rows to ${json}`);
  }
  if (old) {
    console.log(`\nAgainst ${compare} (${old.machine.when}, ${old.machine.cpu}):\n`);
    console.log(comparisonTable(compareReports(old, report)));
  }
}

main().catch((e: Error) => {
  console.error(`bench: ${e.stack ?? e.message}`);
  process.exit(1);
});

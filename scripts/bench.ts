// npm run bench [-- --size 256 --classes 2,4 --loss dice,iou --backends cpu,wasm,webgl,browser-wasm]
//                [--json FILE] [--compare OLD.json]
// Median time of value + gradient for every implemented loss (src/golden/bench.ts) on Node cpu, Node wasm,
// and in headless Chromium on webgl and wasm; prints a markdown table, `median (first call)` in ms.
// Numbers only: nothing asserts on timings. On CI/this machine WebGL is SwiftShader (software), so its numbers
// say nothing about a real GPU. `--json FILE` also writes the rows with the machine (scripts/bench/report.ts);
// `--compare OLD.json` prints new/old ratios for the rows both runs have.
import { readFileSync, writeFileSync } from 'node:fs';
import { type BenchOptions, type BenchRow, benchAll, benchTable, DEFAULT_BENCH } from '../src/golden/bench';
import { loadInverseFormNetFromFile } from '../src/inverseform/load-node';
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
}

function parseArgs(argv: string[]): Args {
  const opts: BenchOptions = { ...DEFAULT_BENCH };
  let columns: Column[] = [...ALL];
  let json: string | null = null;
  let compare: string | null = null;
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
    else if (a === '--json') json = next();
    else if (a === '--compare') compare = next();
    else if (a === '--backends') {
      columns = next().split(',') as Column[];
      const bad = columns.filter((c) => !ALL.includes(c));
      if (bad.length) throw new Error(`unknown backend(s) ${bad.join(', ')} (${ALL.join(', ')})`);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.size) || opts.size < 8) throw new Error('--size must be an integer >= 8');
  if (opts.classes.some((c) => !Number.isInteger(c) || c < 2)) throw new Error('--classes must be integers >= 2');
  return { opts, columns, json, compare };
}

async function main(): Promise<void> {
  const { opts, columns, json, compare } = parseArgs(process.argv.slice(2));
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

  console.log(`\nValue + gradient (tf.valueAndGrad), [1, ${opts.size}, ${opts.size}, C] logits, median of up to`);
  console.log(`${opts.maxReps} calls after ${opts.warmup} warm-up calls, in ms; the first call in parentheses.`);
  console.log(`Node ${process.version}. ${notes.join(' ')}\n`);
  console.log(benchTable(results, opts.size));
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

// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/pair-chromium.ts OLD_DIST NEW_DIST
//   [--rounds 10] [--size 256] [--classes 2] [--backend wasm|webgl] [--losses a,b,…] [--json FILE]
// Interleaved before/after timing of two builds in ONE headless Chromium, for a machine whose load drifts
// (shared CPUs): each build's golden page runs the bench of `npm run bench` (every loss, then all of them in one
// engine update) with 3 timed calls per row, the two pages taking turns, round after round; so both see the same
// load, which separate runs a minute apart do not. Prints per row the median over the rounds of each build and
// every round's value. Numbers only: nothing asserts on them.
import { writeFileSync } from 'node:fs';
import { launchBrowser } from '../../e2e/lib/chromium';
import { type GoldenPage, openGoldenPage } from '../../e2e/lib/golden';
import { type Served, serveDist } from '../../e2e/lib/serve';
import { cliOption } from './cli-option';
import { machineInfo } from './report';

const [oldDist, newDist] = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
if (!oldDist || !newDist) throw new Error('usage: pair-chromium.ts OLD_DIST NEW_DIST [--rounds N] …');
const rounds = Number(cliOption('--rounds', '10'));
const size = Number(cliOption('--size', '256'));
const classes = Number(cliOption('--classes', '2'));
const backend = cliOption('--backend', 'wasm') as 'wasm' | 'webgl';
const json = cliOption('--json', '');
/** Only these losses (comma-separated ids), and the engine row over them: e.g. the 23 with a PyTorch timing. */
const losses = cliOption('--losses', '');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const served: Served[] = [];
const browser = await launchBrowser();
try {
  const pages: GoldenPage[] = [];
  for (const dist of [oldDist, newDist]) {
    const s = await serveDist(dist);
    served.push(s);
    const page = await openGoldenPage(browser, s.url);
    await page.setBackend(backend);
    await page.loadInverseFormNet();
    pages.push(page);
  }
  const opts = {
    size,
    classes: [classes],
    warmup: 1,
    minReps: 3,
    maxReps: 3,
    budgetMs: 1e9,
    ...(losses ? { losses: losses.split(',') } : {}),
  };
  const times: Map<string, number[]>[] = [new Map(), new Map()];
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < 2; k++) {
      for (const row of await (pages[k] as GoldenPage).bench(opts)) {
        const m = times[k] as Map<string, number[]>;
        m.set(row.loss, [...(m.get(row.loss) ?? []), row.medianMs ?? Number.NaN]);
      }
    }
    console.error(`round ${r + 1} of ${rounds}`);
  }
  console.log(
    `\n${size}², C = ${classes}, Chromium ${backend}, ${rounds} rounds; ms, median over the rounds (each round's value)`,
  );
  console.log('| loss | old | new | old, per round | new, per round |\n|---|---:|---:|---|---|');
  const rows = [];
  for (const [loss, old] of times[0] as Map<string, number[]>) {
    const now = (times[1] as Map<string, number[]>).get(loss) ?? [];
    const each = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
    console.log(`| ${loss} | ${median(old).toFixed(1)} | ${median(now).toFixed(1)} | ${each(old)} | ${each(now)} |`);
    rows.push({ loss, classes, size, backend: `chromium-${backend}`, oldMs: old, newMs: now });
  }
  if (json) {
    writeFileSync(json, `${JSON.stringify({ machine: machineInfo(), old: oldDist, new: newDist, rows }, null, 2)}\n`);
    console.error(`wrote ${json}`);
  }
} finally {
  await browser.close();
  for (const s of served) await s.close();
}

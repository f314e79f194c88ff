// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/app-cpu.ts [--dist DIR] [--size 64]
//   [--edits 30]
// CPU time per edit of each Chromium process while the explorer takes the edits of `npm run bench -- --app`
// (after 10 untimed ones and 3 s of quiet, so the engine's JIT warm-up is over): the renderer (page + compute
// worker), the GPU process (compositing; SwiftShader on a machine without a GPU), the browser. Read from
// /proc/<pid>/stat (Linux only), so it shows what competes for the cores, not only what the page waits for.
// Numbers only.
import { readdirSync, readFileSync } from 'node:fs';
import { preview } from 'vite';
import { waitReady } from '../../e2e/fixtures/helpers';
import { launchBrowser } from '../../e2e/lib/chromium';
import { openPage } from '../../e2e/lib/page';
import { builtApp, REPO_ROOT } from '../lib/build';
import { setGrid, timedEdit } from './app';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] as string) : dflt;
};
const size = Number(opt('--size', '64'));
const edits = Number(opt('--edits', '30'));
const dist = opt('--dist', '');

/** CPU ms used so far by every Chromium process, summed per process type (--type=…, the browser has none). */
function cpuByProcessType(): Map<string, number> {
  const hz = 100; // USER_HZ: clock ticks per second on Linux
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') && !cmd.includes('chrome')) continue;
      const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
      // fields after the command name: state is field 3, utime 14 and stime 15 (1-based)
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(type, (out.get(type) ?? 0) + (ticks * 1000) / hz);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

const app = dist ? { dir: dist, cleanup: () => {} } : await builtApp((s) => console.error(s));
const server = await preview({
  root: REPO_ROOT,
  configFile: `${REPO_ROOT}/vite.config.ts`,
  logLevel: 'warn',
  build: { outDir: app.dir },
  preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
});
const browser = await launchBrowser();
try {
  const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4173/';
  const { page, close } = await openPage(browser, url);
  await waitReady(page);
  await page.evaluate('globalThis.__name = (f) => f');
  await setGrid(page, size);
  for (let k = 0; k < 10; k++) await timedEdit(page, k, 120_000);
  await page.waitForTimeout(3000);
  const before = cpuByProcessType();
  const t0 = performance.now();
  const all: number[] = [];
  for (let k = 0; k < edits; k++) all.push((await timedEdit(page, 100 + k, 120_000)).allMs);
  const wall = performance.now() - t0;
  const after = cpuByProcessType();
  all.sort((a, b) => a - b);
  const perEdit = [...after].map(([type, ms]) => `${type} ${((ms - (before.get(type) ?? 0)) / edits).toFixed(1)}`);
  console.log(
    `${size}², ${edits} edits: edit → all current, median ${all[edits >> 1]?.toFixed(0)} ms; wall per edit ${(wall / edits).toFixed(0)} ms; CPU ms per edit: ${perEdit.join(', ')}`,
  );
  await close();
} finally {
  await browser.close().catch(() => {});
  await new Promise<void>((ok) => server.httpServer.close(() => ok()));
  app.cleanup();
}

// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/app-cpu.ts [--dist DIR] [--size 64]
//   [--edits 30]
// CPU time per edit of each Chromium process while the explorer takes the edits of `npm run bench -- --app`
// (after 10 untimed ones and 3 s of quiet, so the engine's JIT warm-up is over): the renderer (page + compute
// worker), the GPU process (compositing; SwiftShader on a machine without a GPU), the browser. Read from
// /proc/<pid>/stat (Linux only), so it shows what competes for the cores, not only what the page waits for; and
// the renderer's CPU per thread (the page's main thread, the compute worker, V8's helpers, raster).
// Numbers only.
import { readdirSync, readFileSync } from 'node:fs';
import { setGrid, timedEdit } from './app';
import { cliOption } from './cli-option';
import { openExplorer } from './explorer-session';

const size = Number(cliOption('--size', '64'));
const edits = Number(cliOption('--edits', '30'));
const dist = cliOption('--dist', '');

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

/** CPU ms used so far by each thread of the renderer processes, summed per thread name (/proc/…/task/…/comm). */
function rendererCpuByThread(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const fields = (readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
        out.set(name, (out.get(name) ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      }
    } catch {
      // the process or thread ended meanwhile
    }
  }
  return out;
}

const session = await openExplorer(dist || undefined, (s) => console.error(s));
const { page } = session;
try {
  await setGrid(page, size);
  for (let k = 0; k < 10; k++) await timedEdit(page, k, 120_000);
  await page.waitForTimeout(3000);
  const before = cpuByProcessType();
  const threadsBefore = rendererCpuByThread();
  const t0 = performance.now();
  const all: number[] = [];
  for (let k = 0; k < edits; k++) all.push((await timedEdit(page, 100 + k, 120_000)).allMs);
  const wall = performance.now() - t0;
  const after = cpuByProcessType();
  const threadsAfter = rendererCpuByThread();
  all.sort((a, b) => a - b);
  const perEdit = [...after].map(([type, ms]) => `${type} ${((ms - (before.get(type) ?? 0)) / edits).toFixed(1)}`);
  console.log(
    `${size}², ${edits} edits: edit → all current, median ${all[edits >> 1]?.toFixed(0)} ms; wall per edit ${(wall / edits).toFixed(0)} ms; CPU ms per edit: ${perEdit.join(', ')}`,
  );
  const perThread = [...threadsAfter]
    .map(([name, ms]) => [name, (ms - (threadsBefore.get(name) ?? 0)) / edits] as const)
    .filter(([, ms]) => ms >= 0.5)
    .sort((a, b) => b[1] - a[1]);
  console.log(`renderer CPU ms per edit, by thread: ${perThread.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')}`);
} finally {
  await session.close();
}

// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/app-trace.ts [--size 128]
//   [--edits 3] [--dist DIR] [--out trace.json] [--until focused|all]
// Where an edit's time goes in the explorer: records a Chrome trace (page and compute worker) of a few timed
// edits (the same edits as `npm run bench -- --app`, each marked `edit-k` at its start) and prints, per edit, the tasks on each thread between the
// edit and the focused value on screen. Numbers only, for finding what to cut.
import { writeFileSync } from 'node:fs';
import { setGrid, timedEdit } from './app';
import { cliOption } from './cli-option';
import { openExplorer } from './explorer-session';

const args = process.argv.slice(2);
const size = Number(cliOption('--size', '128'));
const edits = Number(cliOption('--edits', '3'));
const dist = cliOption('--dist', '');
const out = cliOption('--out', '');
/** The window printed per edit: up to the focused value on screen (default) or up to every value current. */
const until = cliOption('--until', 'focused');
/** Also samples JS (a non-minified build gives readable names): inclusive ms per function and thread. */
const profile = args.includes('--profile');

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Inclusive sampled time per function (by name and file) and thread, between `from` and `to` (trace µs). */
function printProfile(
  events: TraceEvent[],
  threadName: Map<string, string>,
  from: number,
  to: number,
  only?: string,
  top = 40,
): void {
  const starts = new Map<string, { ts: number; thread: string }>();
  for (const e of events)
    if (e.name === 'Profile') starts.set(String((e as { id?: string }).id), { ts: e.ts, thread: `${e.pid}:${e.tid}` });
  const perProfile = new Map<string, { nodes: Map<number, ProfileNode>; samples: number[]; deltas: number[] }>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk') continue;
    const id = String((e as { id?: string }).id);
    const p = perProfile.get(id) ?? {
      nodes: new Map<number, ProfileNode>(),
      samples: [] as number[],
      deltas: [] as number[],
    };
    const d = e.args?.data as {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
    for (const n of d.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
    p.samples.push(...(d.cpuProfile?.samples ?? []));
    p.deltas.push(...(d.timeDeltas ?? []));
    perProfile.set(id, p);
  }
  for (const [id, p] of perProfile) {
    const start = starts.get(id);
    if (!start || (only && start.thread !== only)) continue;
    const thread = threadName.get(start.thread) ?? start.thread;
    const incl = new Map<string, number>();
    let t = start.ts;
    let total = 0;
    for (let i = 0; i < p.samples.length; i++) {
      const dt = p.deltas[i] ?? 0;
      t += dt;
      if (t < from || t > to) continue;
      const seen = new Set<string>();
      for (let n = p.nodes.get(p.samples[i] as number); n; n = n.parent ? p.nodes.get(n.parent) : undefined) {
        const f = n.callFrame;
        const key = `${f.functionName || '(anon)'} ${(f.url ?? '').split('/').pop()}:${f.lineNumber}`;
        if (seen.has(key)) continue;
        seen.add(key);
        incl.set(key, (incl.get(key) ?? 0) + dt / 1000);
      }
      total += dt / 1000;
    }
    if (total === 0) continue;
    const best = [...incl.entries()]
      .filter(([k]) => !/^\((root|program|idle)\)/.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
    console.log(`  profile ${thread} +${((from - start.ts) / 1000).toFixed(0)}: ${total.toFixed(1)} ms sampled`);
    for (const [k, ms] of best) console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${k}`);
  }
}

const session = await openExplorer(dist || undefined, (s) => console.error(s));
const { browser, page } = session;
try {
  await setGrid(page, size);
  await timedEdit(page, 0, 120_000);
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8.execute',
      'blink.user_timing',
      ...(profile ? ['disabled-by-default-v8.cpu_profiler'] : []),
    ],
  });
  const marks: { t0: number; focusedMs: number; allMs: number }[] = [];
  for (let k = 1; k <= edits; k++) {
    const t = await timedEdit(page, k, 120_000);
    const lossMs = await page.evaluate(() => {
      const st = (
        window as unknown as {
          __segloss: {
            store: {
              getState(): {
                focusedLoss: string;
                results: Record<string, { ms: number } | undefined>;
                engineMs: number | null;
                lastUpdateMs: number | null;
              };
            };
          };
        }
      ).__segloss.store.getState();
      const sum = Object.values(st.results).reduce((acc, r) => acc + (r?.ms ?? 0), 0);
      return {
        focused: st.results[st.focusedLoss]?.ms ?? -1,
        sum,
        engineMs: st.engineMs,
        lastUpdateMs: st.lastUpdateMs,
      };
    });
    console.log(
      `edit ${k}: in the engine, the focused loss ${lossMs.focused.toFixed(1)} ms, all losses ${lossMs.sum.toFixed(0)} ms ` +
        `(forward + backward), requests ${lossMs.engineMs?.toFixed(0)} ms; update ${lossMs.lastUpdateMs?.toFixed(0)} ms`,
    );
    marks.push({ t0: 0, ...t });
    await page.waitForTimeout(300);
  }
  const buf = await browser.stopTracing();
  if (out) writeFileSync(out, buf);
  const events = (JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  for (let k = 1; k <= edits; k++) {
    const mark = events.find((e) => e.name === `edit-${k}` && e.cat.includes('user_timing'));
    const m = marks[k - 1];
    if (!mark || !m) continue;
    const from = mark.ts;
    const to = from + (until === 'all' ? m.allMs : m.focusedMs) * 1000;
    console.log(`\nedit ${k}: focused ${m.focusedMs.toFixed(1)} ms, all ${m.allMs.toFixed(1)} ms`);
    const tasks = events.filter(
      (e) =>
        e.ph === 'X' &&
        (e.dur ?? 0) > 300 &&
        e.ts + (e.dur ?? 0) > from &&
        e.ts < to &&
        /Main|Worker/.test(threadName.get(`${e.pid}:${e.tid}`) ?? ''),
    );
    tasks.sort((a, b) => a.ts - b.ts);
    // busy time per thread in the window: its top-level tasks, clipped to the window
    const busy = new Map<string, number>();
    for (const e of tasks) {
      if (e.name !== 'RunTask') continue;
      const name = threadName.get(`${e.pid}:${e.tid}`) ?? '?';
      const ms = (Math.min(e.ts + (e.dur ?? 0), to) - Math.max(e.ts, from)) / 1000;
      busy.set(name, (busy.get(name) ?? 0) + ms);
    }
    console.log(`  busy in the window: ${[...busy].map(([n, ms]) => `${n} ${ms.toFixed(1)} ms`).join(', ')}`);
    for (const e of tasks) {
      const d = e.args?.data ?? {};
      const what = [d.functionName, d.type, d.url ? String(d.url).split('/').pop() : null].filter(Boolean).join(' ');
      console.log(
        `  +${((e.ts - from) / 1000).toFixed(1).padStart(6)} ms ${((e.dur ?? 0) / 1000).toFixed(1).padStart(6)} ms  ${(threadName.get(`${e.pid}:${e.tid}`) ?? '').padEnd(22)} ${e.name} ${what}`,
      );
    }
    for (const e of events)
      if (e.cat.includes('user_timing') && e.ts >= from && e.ts <= to + 50_000 && !e.name.startsWith('edit-'))
        console.log(
          `  mark +${((e.ts - from) / 1000).toFixed(1).padStart(6)} ms  ${threadName.get(`${e.pid}:${e.tid}`)} ${e.name} ${e.ph}`,
        );
    if (profile) {
      printProfile(events, threadName, from, to);
      // What each long task of the page and the worker ran (sampled), in order.
      for (const e of tasks)
        if (
          e.name === 'RunTask' &&
          (e.dur ?? 0) > 3000 &&
          /Main|Worker/.test(threadName.get(`${e.pid}:${e.tid}`) ?? '')
        )
          printProfile(events, threadName, e.ts, e.ts + (e.dur ?? 0), `${e.pid}:${e.tid}`, 8);
    }
  }
} finally {
  await session.close();
}

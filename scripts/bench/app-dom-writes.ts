// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/app-dom-writes.ts [--dist DIR]
//   [--size 64] [--edits 10]
// What the page writes to the DOM per edit while the explorer takes the edits of `npm run bench -- --app`
// (after 5 untimed ones): every attribute, text and child-list change between an edit and the next, counted by a
// MutationObserver and grouped by kind, element and the panel it is in. Unlike a timing this count does not
// depend on the machine's load, so it shows what a change to the page's rendering saves. Numbers only.
import { setGrid, timedEdit } from './app';
import { cliOption } from './cli-option';
import { openExplorer } from './explorer-session';

const size = Number(cliOption('--size', '64'));
const edits = Number(cliOption('--edits', '10'));
const dist = cliOption('--dist', '');

const session = await openExplorer(dist || undefined, (s) => console.error(s));
const { page } = session;
try {
  await setGrid(page, size);
  for (let k = 0; k < 5; k++) await timedEdit(page, k, 120_000);
  await page.evaluate(() => {
    const counts: Record<string, number> = {};
    (window as unknown as { __domWrites: Record<string, number> }).__domWrites = counts;
    new MutationObserver((records) => {
      for (const m of records) {
        const el = (m.target instanceof Element ? m.target : m.target.parentElement) as Element | null;
        const panel = el?.closest('section, aside, header, figure, details, fieldset');
        const where = panel
          ? `${panel.tagName.toLowerCase()}${panel.className ? `.${panel.className.split(' ').join('.')}` : ''}`
          : 'page';
        const what = m.type === 'attributes' ? `${m.attributeName}` : m.type;
        const tag = el?.tagName.toLowerCase() ?? '?';
        const type = el instanceof HTMLInputElement ? `[${el.type}]` : '';
        const key = `${what} on <${tag}${type}> in ${where}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
  });
  for (let k = 0; k < edits; k++) {
    await timedEdit(page, 100 + k, 120_000);
    await page.waitForTimeout(200); // the metrics row lands after the losses
  }
  const counts = await page.evaluate(() => (window as unknown as { __domWrites: Record<string, number> }).__domWrites);
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((s, [, n]) => s + n, 0);
  const controls = rows.filter(([k]) => /<(input|select|option|textarea)/.test(k)).reduce((s, [, n]) => s + n, 0);
  console.log(
    `${size}², ${edits} edits: ${(total / edits).toFixed(1)} DOM writes per edit, ${(controls / edits).toFixed(1)} of them on form controls`,
  );
  for (const [k, n] of rows.slice(0, 30)) console.log(`${(n / edits).toFixed(1).padStart(8)}  ${k}`);
} finally {
  await session.close();
}

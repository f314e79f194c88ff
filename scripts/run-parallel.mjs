// node scripts/run-parallel.mjs SCRIPT_A SCRIPT_B …: runs the given npm scripts at the same time and prints each
// one's output whole, in the order given, once it ends; exits with the first non-zero status. npm test runs the
// lint and the type check beside the unit tests (their one core's work fits beside the unit tests' fork: 77 → 63 s
// on the 2-core machine), and the package check, mostly npm's own I/O, beside the golden vectors (≈ 16 s less).
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: node scripts/run-parallel.mjs SCRIPT…');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const runs = scripts.map(
  (name) =>
    new Promise((resolve) => {
      const chunks = [];
      const child = spawn(npm, ['run', name], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (c) => chunks.push(c));
      child.stderr.on('data', (c) => chunks.push(c));
      child.on('error', (e) => resolve({ name, code: 1, output: `${e.message}\n` }));
      child.on('close', (code, signal) =>
        resolve({ name, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString() }),
      );
    }),
);
let status = 0;
for (const run of runs) {
  const { name, code, output } = await run;
  process.stdout.write(output);
  if (code !== 0) {
    console.error(`run-parallel: ${name} failed (exit ${code})`);
    if (status === 0) status = code;
  }
}
process.exit(status);

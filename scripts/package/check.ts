// npm run test:package — the packed library works where a TF.js user installs it: build dist-lib/, `npm pack` it,
// install the tarball with tfjs-core and the cpu + wasm backends into a temporary project (from npm's cache when
// it has them), then there: type-check an import, compute every loss once (value and gradient finite, on cpu)
// and run examples/train-tiny for a few steps on cpu and wasm. Prints `N passed, M failed` and exits non-zero on
// any failure.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildLibrary } from './build-lib';
import { LIBRARY_NAME } from './manifest';

const ROOT = resolve(import.meta.dirname, '../..');
const TF_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies['@tensorflow/tfjs-core'];

const CONSUMER = `import '@tensorflow/tfjs-backend-cpu';
import { IMPLEMENTED_LOSSES, lossAndGrad, tf, type LossId } from '${LIBRARY_NAME}';
import { loadInverseFormNetFromFile } from '${LIBRARY_NAME}/node';

await tf.setBackend('cpu');
await loadInverseFormNetFromFile();
const H = 16;
const labels = Int32Array.from({ length: H * H }, (_, i) => (Math.hypot((i % H) - 8, Math.floor(i / H) - 8) < 5 ? 1 : 0));
const target = tf.tensor3d(labels, [1, H, H], 'int32');
const logits = tf.randomNormal([1, H, H, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
let passed = 0;
const failed: string[] = [];
for (const def of IMPLEMENTED_LOSSES) {
  const id: LossId = def.id;
  try {
    const { value, grad } = lossAndGrad(id, logits, target);
    const v = value.dataSync()[0] as number;
    const finite = Number.isFinite(v) && grad.dataSync().every((g) => Number.isFinite(g));
    if (finite) passed++;
    else failed.push(\`\${id}: value \${v} or its gradient is not finite\`);
    tf.dispose([value, grad]);
  } catch (e) {
    failed.push(\`\${id}: \${(e as Error).message}\`);
  }
}
console.log(JSON.stringify({ passed, failed }));
`;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const results: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail = '') => {
    results.push({ name, ok, detail });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  };

  const lib = await buildLibrary();
  const work = mkdtempSync(join(tmpdir(), 'segloss-package-'));
  try {
    const packed = JSON.parse(run('npm', ['pack', lib, '--pack-destination', work, '--json'], ROOT))[0];
    check('npm pack', true, `${packed.filename}, ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB`);
    const project = join(work, 'consumer');
    cpSync(join(ROOT, 'examples/train-tiny'), project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        join(work, packed.filename),
        `@tensorflow/tfjs-core@${TF_VERSION}`,
        `@tensorflow/tfjs-backend-cpu@${TF_VERSION}`,
        `@tensorflow/tfjs-backend-wasm@${TF_VERSION}`,
      ],
      project,
    );
    check('installs with tfjs-core as a peer dependency', true);

    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          outDir: 'out',
          skipLibCheck: true, // tfjs-core's own .d.ts files need @types/long
          types: [],
          lib: ['ES2023', 'DOM'],
        },
        // The emitted JavaScript is what the next check runs.
        files: ['consumer.ts'],
      }),
    );
    try {
      run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], project);
      check('type-checks and compiles an import of the package (its .d.ts files)', true);
    } catch (e) {
      check(
        'type-checks and compiles an import of the package (its .d.ts files)',
        false,
        String((e as { stdout?: string }).stdout),
      );
    }

    const js = join(project, 'out', 'consumer.js');
    const out = JSON.parse(
      run(process.execPath, ['--import', `${LIBRARY_NAME}/register`, js], project)
        .trim()
        .split('\n')
        .at(-1) as string,
    );
    check(
      'computes every loss once with a finite value and gradient',
      out.failed.length === 0 && out.passed >= 20,
      `${out.passed} losses${out.failed.length ? `; ${out.failed.join('; ')}` : ''}`,
    );

    for (const [loss, backend] of [
      ['dice', 'cpu'],
      ['focal-tversky', 'wasm'],
    ] as const) {
      const log = run(
        process.execPath,
        [
          '--import',
          `${LIBRARY_NAME}/register`,
          'train.mjs',
          '--loss',
          loss,
          '--backend',
          backend,
          '--epochs',
          '2',
          '--steps',
          '3',
          '--size',
          '16',
        ],
        project,
      );
      const last = log.trim().split('\n').at(-1) ?? '';
      check(
        `examples/train-tiny runs (${loss}, ${backend})`,
        /^epoch 2 {2}loss [-\d.]+ {2}dice [\d.]+$/.test(last),
        last,
      );
    }
  } catch (e) {
    const err = e as { message: string; stderr?: string };
    check('package check', false, `${err.message}${err.stderr ? `\n${err.stderr}` : ''}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`package check in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  if (failed) process.exit(1);
}

main().catch((e: Error) => {
  console.error(`test:package: ${e.stack ?? e.message}`);
  process.exit(1);
});

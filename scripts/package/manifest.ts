// The package.json and README of the packed library (dist-lib/), derived from the repository's package.json.

export const LIBRARY_NAME = 'segloss-losses';

interface RootPackage {
  version: string;
  description?: string;
  dependencies: Record<string, string>;
}

export function libraryManifest(root: RootPackage): Record<string, unknown> {
  const core = root.dependencies['@tensorflow/tfjs-core'];
  if (!core) throw new Error('package.json has no @tensorflow/tfjs-core dependency');
  return {
    name: LIBRARY_NAME,
    version: root.version,
    description:
      'The 25 semantic-segmentation losses of Azad et al. (arXiv 2312.05391) on TensorFlow.js, checked against their reference implementations',
    type: 'module',
    main: './dist/index.js',
    types: './types/index.d.ts',
    exports: {
      '.': { types: './types/index.d.ts', import: './dist/index.js' },
      './node': { types: './types/node.d.ts', import: './dist/node.js' },
      './register': './register.mjs',
      './models/*': './models/*',
      './package.json': './package.json',
    },
    files: ['dist', 'types', 'models', 'register.mjs', 'extensionless-hook.mjs', 'README.md'],
    sideEffects: false,
    // The caller registers the backend it wants (cpu, wasm, webgl); the library only needs tfjs-core.
    peerDependencies: { '@tensorflow/tfjs-core': `^${core}` },
    engines: { node: '>=20.19' },
    keywords: ['segmentation', 'loss', 'tensorflowjs', 'dice', 'focal', 'boundary-loss'],
  };
}

export function libraryReadme(version: string): string {
  return `# ${LIBRARY_NAME} ${version}

The 25 semantic-segmentation losses reviewed in Azad et al., "Loss Functions in the Era of Semantic Segmentation"
(arXiv 2312.05391), on TensorFlow.js: value and gradient checked against float64 vectors from the reference
implementations on the cpu, wasm and webgl backends. Built from the SegLoss Explorer repository (\`npm run build:lib\`).

\`\`\`js
import '@tensorflow/tfjs-backend-cpu'; // or -wasm / -webgl: the backend is yours to register
import { computeLoss, lossAndGrad, LOSSES, tf } from '${LIBRARY_NAME}';

const target = tf.tensor3d(labels, [1, H, W], 'int32');    // class indices
const logits = tf.variable(tf.zeros([1, H, W, 2]));        // softmax is taken inside every loss
const { value, grad } = lossAndGrad('dice', logits, target, { includeBackground: false });
\`\`\`

- Inputs: \`logits\` float32 [N, H, W, C] (channels last), \`target\` int32 [N, H, W]. Every loss id, name, parameter
  (default, range) and formula is in \`LOSSES\`.
- InverseForm needs its network: \`import { loadInverseFormNetFromFile } from '${LIBRARY_NAME}/node'\` then
  \`await loadInverseFormNetFromFile()\` in Node, or \`await loadInverseFormNet(url)\` with the URL of a copy of
  \`models/inverseform/model.json\` in the browser.
- Peer dependency: \`@tensorflow/tfjs-core\` plus the backend you use. Bundlers (Vite, webpack) need nothing else.
  Plain Node must be started with \`node --import ${LIBRARY_NAME}/register\`: tfjs-core's ESM build uses
  extensionless imports that Node's loader refuses, and the hook resolves them.
`;
}

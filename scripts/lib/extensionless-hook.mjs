// Node resolve hook: tfjs-core's ESM build (dist/*.js) uses extensionless relative imports ('./gradients',
// './ops/ops'), which Node's ESM loader rejects. Vite resolves them; for Node scripts and tests we map
// them to the file ('x.js') or the folder's index ('x/index.js'), the way bundlers do.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if ((specifier.startsWith('./') || specifier.startsWith('../')) && parent.includes('/node_modules/@tensorflow/')) {
    if (!/\.(m?js|json|wasm)$/.test(specifier)) {
      const base = new URL(specifier, parent);
      const file = fileURLToPath(base);
      if (existsSync(`${file}.js`)) return next(`${base.href}.js`, context);
      if (existsSync(file) && statSync(file).isDirectory() && existsSync(`${file}/index.js`)) {
        return next(`${base.href}/index.js`, context);
      }
    }
  }
  return next(specifier, context);
}

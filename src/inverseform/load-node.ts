// Node-only: loads the InverseForm network from public/models/inverseform/ (tests, scripts, golden runner).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concatBytes, type ModelJson, setInverseFormNet } from './loader';

export const MODEL_JSON_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'public',
  'models',
  'inverseform',
  'model.json',
);

export async function loadInverseFormNetFromFile(path = MODEL_JSON_PATH): Promise<void> {
  const model = JSON.parse(await readFile(path, 'utf8')) as ModelJson;
  const dir = dirname(path);
  const parts: Uint8Array[] = [];
  for (const g of model.weightsManifest) for (const p of g.paths) parts.push(await readFile(join(dir, p)));
  setInverseFormNet(model.weightsManifest, concatBytes(parts));
}

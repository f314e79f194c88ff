/**
 * Node-only entry of the library (the package's `segloss-losses/node`): loads InverseForm's network from disk.
 * In the packed library the weights sit in `models/inverseform/`, beside `dist/`; in this repository in
 * `public/models/inverseform/`. The first of those that exists is the default.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInverseFormNetFromFile as loadFrom, MODEL_JSON_PATH } from './inverseform/load-node';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the network's model.json is looked for by default: the package's copy, then the repository's. */
export const DEFAULT_MODEL_JSON_PATHS: readonly string[] = [
  join(here, '..', 'models', 'inverseform', 'model.json'),
  MODEL_JSON_PATH,
];

export async function loadInverseFormNetFromFile(path?: string): Promise<void> {
  const chosen = path ?? DEFAULT_MODEL_JSON_PATHS.find((p) => existsSync(p));
  if (!chosen)
    throw new Error(`InverseForm's model.json was not found (looked in ${DEFAULT_MODEL_JSON_PATHS.join(', ')})`);
  await loadFrom(chosen);
}

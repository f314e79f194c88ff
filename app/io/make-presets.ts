/**
 * Writes public/presets/*.json and index.json from app/editing/preset-sources.ts.
 * Run: node --import tsx --import ./scripts/lib/register-hooks.mjs app/io/make-presets.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { presetFiles } from './preset-files';

const dir = resolve(import.meta.dirname, '../../public/presets');
mkdirSync(dir, { recursive: true });
const { files, index } = presetFiles();
for (const [name, json] of Object.entries(files)) writeFileSync(resolve(dir, name), json);
writeFileSync(resolve(dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
console.log(`wrote ${Object.keys(files).length} presets + index.json to ${dir}`);

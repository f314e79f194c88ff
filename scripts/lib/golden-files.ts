// Command-line golden inputs: files and folders (a folder means its *.json files, sorted).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type CaseResult, fileErrorResult } from '../../src/golden/check';
import { checkGoldenText } from '../../src/golden/check-any';

export interface GoldenText {
  name: string;
  text: string;
}

/** Reads every input; unreadable paths become failed pseudo-cases instead of aborting the run. */
export function readGoldenInputs(paths: string[]): { files: GoldenText[]; errors: CaseResult[] } {
  const files: GoldenText[] = [];
  const errors: CaseResult[] = [];
  const name = (p: string) => relative(process.cwd(), p) || p;
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) {
        const jsons = readdirSync(p)
          .filter((f) => f.endsWith('.json'))
          .sort();
        if (jsons.length === 0) errors.push(fileErrorResult(name(p), 'folder holds no *.json golden file'));
        for (const f of jsons) files.push({ name: name(join(p, f)), text: readFileSync(join(p, f), 'utf8') });
      } else {
        files.push({ name: name(p), text: readFileSync(p, 'utf8') });
      }
    } catch (e) {
      errors.push(fileErrorResult(name(p), `cannot read: ${(e as Error).message}`));
    }
  }
  return { files, errors };
}

/** Checks files on the current (Node) TF.js backend. */
export function checkTexts(files: GoldenText[], backend: string): CaseResult[] {
  const out: CaseResult[] = [];
  for (const f of files) {
    try {
      out.push(...checkGoldenText(f.text, f.name, backend));
    } catch (e) {
      out.push(fileErrorResult(f.name, (e as Error).message));
    }
  }
  return out;
}

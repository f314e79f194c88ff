// What the A/B scripts (ab.ts, ab-values.ts) share: an older checkout's loss registry loaded next to this one
// (same TF.js instance), with both checkouts' InverseForm networks loaded.
import { pathToFileURL } from 'node:url';
import { loadInverseFormNetFromFile } from '../../src/inverseform/load-node';
import type { LossDefinition } from '../../src/types';

export async function loadOldCheckout(oldRoot: string): Promise<{ getLoss(id: string): LossDefinition }> {
  const oldRegistry = (await import(pathToFileURL(`${oldRoot}/src/registry.ts`).href)) as {
    getLoss(id: string): LossDefinition;
  };
  const oldIfLoader = (await import(pathToFileURL(`${oldRoot}/src/inverseform/load-node.ts`).href)) as {
    loadInverseFormNetFromFile(): Promise<unknown>;
  };
  await loadInverseFormNetFromFile().catch(() => {});
  await oldIfLoader.loadInverseFormNetFromFile().catch(() => {});
  return oldRegistry;
}

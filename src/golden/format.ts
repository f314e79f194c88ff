/** The golden-vector file format `seg-loss-golden/1` of ../shared/golden/SPEC.md §1.2. */
import type { ParamValue } from '../types';

export interface GoldenCase {
  id: string;
  params: Record<string, ParamValue>;
  shape: [number, number, number, number];
  logits: number[];
  target: number[];
  value: number | null;
  grad: number[] | null;
  note?: string;
  valueStatus?: 'nan' | 'none';
  float32Deviation?: { value: number; grad: number };
  altValues?: Record<string, number>;
}

export interface GoldenFile {
  format: 'seg-loss-golden/1';
  loss: string;
  kind: 'exact' | 'port' | 'property';
  reference: string;
  defaults: Record<string, ParamValue>;
  binaryOnly: boolean;
  cases: GoldenCase[];
  propertyChecks?: unknown[];
  propertyResults?: unknown[];
}

export function parseGoldenFile(text: string, name = 'golden file'): GoldenFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not valid JSON (${(e as Error).message})`);
  }
  const f = data as Partial<GoldenFile>;
  if (f.format !== 'seg-loss-golden/1') throw new Error(`${name}: format is not 'seg-loss-golden/1'`);
  if (typeof f.loss !== 'string') throw new Error(`${name}: missing 'loss'`);
  if (!Array.isArray(f.cases)) throw new Error(`${name}: missing 'cases'`);
  for (const c of f.cases) {
    const [n, h, w, k] = c.shape;
    if (c.logits.length !== n * h * w * k || c.target.length !== n * h * w) {
      throw new Error(`${name}: case ${c.id} has arrays that do not match shape [${c.shape.join(', ')}]`);
    }
  }
  return f as GoldenFile;
}

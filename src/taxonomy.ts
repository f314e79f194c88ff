import { LOSSES } from './registry';
import type { Category, LossId, TaxonomyEntry } from './types';

/**
 * The survey's taxonomy (Azad et al., arXiv 2312.05391, figure 1): the survey itself and its 4 categories; each
 * loss's place in it is declared in the loss's own file. Citations were checked against the papers (see ../shared/reference/taxonomy.json);
 * summaries are ours.
 */
export const SURVEY = {
  title: 'Loss Functions in the Era of Semantic Segmentation: A Survey and Outlook',
  authors: [
    'Reza Azad',
    'Moein Heidari',
    'Kadir Yilmaz',
    'Michael Hüttemann',
    'Sanaz Karimijafarbigloo',
    'Yuli Wu',
    'Anke Schmeink',
    'Dorit Merhof',
  ],
  arxiv: '2312.05391',
  year: 2023,
} as const;

export const CATEGORIES: { id: Category; name: string; summary: string }[] = [
  { id: 'pixel', name: 'Pixel level', summary: 'Each pixel is scored on its own; class balance comes from weights.' },
  {
    id: 'region',
    name: 'Region level',
    summary: 'Overlap of whole regions (Dice, IoU, Tversky …), robust to class size.',
  },
  { id: 'boundary', name: 'Boundary level', summary: 'Distances to, or agreement of, object boundaries.' },
  { id: 'combination', name: 'Combination', summary: 'Weighted sums of pixel- and region-level terms.' },
];

/**
 * The survey's 25 losses in its order, as taxonomy entries. Derived: each loss file declares its own entry
 * (name, category, citation …) and src/registry.ts lists the files in taxonomy order.
 */
export const TAXONOMY: readonly TaxonomyEntry[] = LOSSES.map(
  ({ id, name, category, citation, summary, useWhen, needs, binaryOnly, hasReferenceCode }) => ({
    id,
    name,
    category,
    citation,
    summary,
    useWhen,
    needs,
    binaryOnly,
    hasReferenceCode,
  }),
);

export function taxonomyEntry(id: LossId): TaxonomyEntry {
  const e = TAXONOMY.find((t) => t.id === id);
  if (!e) throw new Error(`unknown loss id '${id}'`);
  return e;
}

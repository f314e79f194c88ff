// What the taxonomy's search box searches for a loss: its names, the plain-language intuition and the text of its
// card (summary, "use when", citation, parameters, variants, pitfalls, notes, reference code). Lower-cased once.
import { intuitionOf, type LossDefinition } from '../../src';

const cache = new WeakMap<LossDefinition, string>();

export function searchTextOf(def: LossDefinition): string {
  let text = cache.get(def);
  if (text === undefined) {
    const c = def.citation;
    const params = Object.entries(def.params as Record<string, { label?: string; doc?: string }>).map(
      ([name, p]) => `${name} ${p.label ?? ''} ${p.doc ?? ''}`,
    );
    text = [
      def.name,
      def.id,
      def.summary,
      def.useWhen,
      intuitionOf(def.id),
      c.authors.join(' '),
      c.title,
      c.venue,
      String(c.year ?? ''),
      ...params,
      ...def.variants.map((v) => `${v.label} ${v.param} ${v.doc}`),
      ...def.pitfalls.map((p) => `${p.where} ${p.text}`),
      ...def.notes,
      ...def.reference.map((r) => `${r.repo} ${r.path} ${r.symbol} ${r.note ?? ''}`),
    ]
      .join('\n')
      .toLowerCase();
    cache.set(def, text);
  }
  return text;
}

/** True when every word of the query occurs in the loss's searchable text. */
export function matchesSearch(def: LossDefinition, query: string): boolean {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const text = searchTextOf(def);
  return words.every((w) => text.includes(w));
}

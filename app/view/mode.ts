// How the page is shown, read from the URL: the normal explorer, the presenter view (?present=1) or one panel
// alone for an iframe (?embed=heatmap|race|landscape|card|lesson). Pure, so it is unit-tested.
export const EMBED_KINDS = ['heatmap', 'race', 'landscape', 'card', 'lesson'] as const;
export type EmbedKind = (typeof EMBED_KINDS)[number];

export type ViewMode =
  | { kind: 'explorer' }
  | { kind: 'present' }
  | { kind: 'embed'; panel: EmbedKind }
  /** ?embed= with a panel that does not exist: the page says so instead of showing a blank frame. */
  | { kind: 'embed-unknown'; requested: string };

export function parseViewMode(search: string): ViewMode {
  const q = new URLSearchParams(search);
  const embed = q.get('embed');
  if (embed !== null) {
    return (EMBED_KINDS as readonly string[]).includes(embed)
      ? { kind: 'embed', panel: embed as EmbedKind }
      : { kind: 'embed-unknown', requested: embed };
  }
  const present = q.get('present');
  if (present !== null && present !== '0' && present !== 'false') return { kind: 'present' };
  return { kind: 'explorer' };
}

/** The same URL with the presenter flag set or cleared (everything else, hash included, kept). */
export function withPresent(href: string, on: boolean): string {
  const url = new URL(href);
  if (on) url.searchParams.set('present', '1');
  else url.searchParams.delete('present');
  return url.href;
}

/** The `<iframe>` snippet that shows `panel` of the explorer at `src` (a URL that already holds the state). */
export function embedSnippet(src: string, panel: EmbedKind, title: string): string {
  const url = new URL(src);
  url.searchParams.delete('present');
  url.searchParams.set('embed', panel);
  const size = EMBED_SIZES[panel];
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${esc(url.href)}" width="${size.width}" height="${size.height}" title="${esc(title)}" style="border:0" loading="lazy"></iframe>`;
}

/** Suggested iframe sizes (CSS px); the panel fills whatever size the iframe gets. */
export const EMBED_SIZES: Record<EmbedKind, { width: number; height: number }> = {
  heatmap: { width: 560, height: 680 },
  race: { width: 720, height: 480 },
  landscape: { width: 760, height: 720 },
  card: { width: 520, height: 720 },
  lesson: { width: 720, height: 560 },
};

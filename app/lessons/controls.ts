// Controls a teacher can hide or lock with a lesson link, and where they are on the page. Selectors use test ids
// and section titles, which survive layout changes better than class names.
export const CONTROLS = ['table', 'heatmap', 'card', 'taxonomy', 'editors', 'params', 'landscape', 'share'] as const;
export type ControlId = (typeof CONTROLS)[number];

export const CONTROL_LABELS: Record<ControlId, string> = {
  table: 'loss table',
  heatmap: 'gradient heatmap',
  card: 'loss card',
  taxonomy: 'taxonomy tree',
  editors: 'mask editors',
  params: 'loss parameters',
  landscape: 'loss landscape',
  share: 'share / export / reset',
};

export const CONTROL_SELECTORS: Record<ControlId, string> = {
  table: '[data-testid="loss-table"]',
  heatmap: 'section[aria-labelledby="heatmap-title"]',
  card: '[data-testid="loss-card"]',
  taxonomy: 'section[aria-labelledby="taxonomy-title"]',
  editors: 'section[aria-label="Editors"]',
  params: '[data-testid="loss-card"] .params, [data-testid="loss-card"] .param',
  landscape: '[data-testid="landscape-panel"]',
  share: '[data-testid="share-copy"], [data-testid="export-menu"], [data-testid="reset"]',
};

/** What a step's `look` highlights. */
export const LOOK_SELECTORS: Record<string, string> = {
  table: '[data-testid="loss-table"]',
  heatmap: 'section[aria-labelledby="heatmap-title"]',
  card: '[data-testid="loss-card"]',
  editors: 'section[aria-label="Editors"]',
  'gt-editor': 'section[aria-labelledby="gt-editor-title"]',
  'pred-editor': 'section[aria-labelledby="pred-editor-title"]',
  derive: '[data-testid="derive-perfect"]',
  taxonomy: 'section[aria-labelledby="taxonomy-title"]',
  landscape: '[data-testid="landscape-panel"]',
  'named-axes': '[data-testid="named-panel"]',
  race: '[data-testid="race-panel"]',
};

// Lesson text: Markdown (markdown-it) with $…$ (inline) and $$…$$ (display) formulas rendered by the app's own
// KaTeX. Raw HTML in the text is escaped, never rendered (html: false), and markdown-it refuses javascript:,
// vbscript: and data: links by its own URL check. The math rule is a few lines here rather than a plugin package:
// the maintained plugins either bundle a second KaTeX or `require('katex')`, which pulls KaTeX's CommonJS build
// in beside the ES module the loss cards use (measured: +~75 kB gzip).
import katex from 'katex';
import type { StateInline } from 'markdown-it';
import MarkdownIt from 'markdown-it';

const DOLLAR = 0x24;

/** `$…$` or `$$…$$` at the cursor. An inline formula may not start or end with a space ("costs $5 and $6"). */
function mathRule(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== DOLLAR) return false;
  const display = src.charCodeAt(pos + 1) === DOLLAR;
  const fence = display ? '$$' : '$';
  const end = src.indexOf(fence, pos + fence.length);
  if (end < 0) return false;
  const tex = src.slice(pos + fence.length, end);
  if (!tex.trim() || (!display && (/^\s/.test(tex) || /\s$/.test(tex)))) return false;
  if (!silent) {
    const token = state.push('math', '', 0);
    token.content = tex;
    token.info = display ? 'display' : 'inline';
  }
  state.pos = end + fence.length;
  return true;
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.inline.ruler.before('escape', 'math', mathRule);
md.renderer.rules.math = (tokens, i) => {
  const t = tokens[i];
  return t ? katex.renderToString(t.content, { displayMode: t.info === 'display', throwOnError: false }) : '';
};
const renderToken: NonNullable<typeof md.renderer.rules.link_open> = (tokens, i, opts, _env, self) =>
  self.renderToken(tokens, i, opts);
const defaultLinkOpen = md.renderer.rules.link_open ?? renderToken;
// Links in lessons open in a new tab and send no referrer.
md.renderer.rules.link_open = (tokens, i, opts, env, self) => {
  tokens[i]?.attrSet('target', '_blank');
  tokens[i]?.attrSet('rel', 'noreferrer');
  return defaultLinkOpen(tokens, i, opts, env, self);
};

export function renderLessonMarkdown(text: string): string {
  return md.render(text);
}

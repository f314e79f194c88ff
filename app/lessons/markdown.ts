// Lesson text: Markdown (markdown-it) with $…$ and $$…$$ rendered by the app's own KaTeX through
// markdown-it-texmath (which takes the KaTeX instance as its engine, so no second copy is bundled). Raw HTML in
// the text is escaped, never rendered (html: false), and markdown-it refuses javascript:, vbscript: and data:
// links by its own URL check.
import katex from 'katex';
import MarkdownIt from 'markdown-it';
import texmath from 'markdown-it-texmath';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.use(texmath, { engine: katex, delimiters: 'dollars', katexOptions: { throwOnError: false } });
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

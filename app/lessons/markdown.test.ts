import { describe, expect, it } from 'vitest';
import { renderLessonMarkdown } from './markdown';

describe('lesson Markdown', () => {
  it('renders Markdown with inline and display KaTeX', () => {
    const html = renderLessonMarkdown('**Dice** is $1 - \\frac{2a}{b}$:\n\n$$L = \\sum_i p_i$$');
    expect(html).toContain('<strong>Dice</strong>');
    expect(html).toMatch(/<span class="katex">.*mfrac/s);
    expect(html).toContain('katex-display');
  });

  it('escapes raw HTML and drops script links', () => {
    const html = renderLessonMarkdown('<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>1</script>');
    expect(html).not.toMatch(/<img|<script|href="javascript/);
    expect(html).toContain('&lt;img');
  });

  it('leaves prices and unclosed dollars alone', () => {
    expect(renderLessonMarkdown('costs $5 and $6')).not.toContain('katex');
    expect(renderLessonMarkdown('a $ sign')).toBe('<p>a $ sign</p>\n');
  });
});

/**
 * Vite plugin (build only) that puts the Content-Security-Policy meta tag first in the built explorer page.
 * Not in `vite` dev: the dev server injects inline scripts (React refresh) that the policy forbids.
 */
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './csp';

export function cspPlugin(): Plugin {
  return {
    name: 'segloss-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.filename.endsWith('/index.html') || ctx.filename.includes('/e2e/')) return html;
        return {
          html,
          tags: [
            {
              tag: 'meta',
              attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
              injectTo: 'head-prepend',
            },
          ],
        };
      },
    },
  };
}

/** Class on <html> under which the panels below the stage skip rendering while off-screen (see styles.css). */
export const SKIP_OFFSCREEN_CLASS = 'skip-offscreen-panels';

/**
 * Lets the panels below the stage (taxonomy, loss card, table, small multiples, landscapes, race) skip style,
 * layout and paint while off-screen, once every one of them has been rendered at its real size (issue 11).
 *
 * Why: every edit changes their values and stale markers, and laying out and painting them (≈ 1 400 of the
 * page's ≈ 1 900 elements) made the frame after an edit 2–3× longer; the worker's focused value waited behind
 * that frame. Why only after `started` and two frames: `content-visibility: auto` sizes a skipped panel by its
 * last remembered size (`contain-intrinsic-size: auto`), and a panel never rendered has none, so switching it
 * on at load made off-screen panels count as a placeholder height and the page shift as they first rendered
 * (a click aimed at a panel below landed beside it). By then every panel has rendered once with its values.
 */
export function skipOffscreenPanelsWhenStarted(
  started: Promise<unknown>,
  root: { classList: { add(name: string): void } } = document.documentElement,
  nextFrame: (cb: () => void) => void = (cb) => requestAnimationFrame(() => cb()),
): Promise<void> {
  return started
    .catch(() => undefined)
    .then(
      () =>
        new Promise<void>((resolve) => {
          // the frame that renders the first values, then one whose ResizeObserver step remembers every size
          nextFrame(() =>
            nextFrame(() => {
              root.classList.add(SKIP_OFFSCREEN_CLASS);
              resolve();
            }),
          );
        }),
    );
}

import { describe, expect, it } from 'vitest';
import { SKIP_OFFSCREEN_CLASS, skipOffscreenPanelsWhenStarted } from './offscreen-panels';

function fakeRoot() {
  const classes = new Set<string>();
  return { classes, classList: { add: (c: string) => void classes.add(c) } };
}
function manualFrames() {
  const queue: (() => void)[] = [];
  return {
    nextFrame: (cb: () => void) => void queue.push(cb),
    run() {
      const cbs = queue.splice(0);
      for (const cb of cbs) cb();
    },
  };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('skipOffscreenPanelsWhenStarted', () => {
  it('adds the class only after the start and two frames', async () => {
    const root = fakeRoot();
    const frames = manualFrames();
    let started: () => void = () => {};
    const done = skipOffscreenPanelsWhenStarted(new Promise<void>((r) => (started = r)), root, frames.nextFrame);
    await tick();
    frames.run();
    expect(root.classes.size).toBe(0); // no frame requested before the start
    started();
    await tick();
    frames.run();
    expect(root.classes.has(SKIP_OFFSCREEN_CLASS)).toBe(false); // one frame is not enough
    frames.run();
    await done;
    expect(root.classes.has(SKIP_OFFSCREEN_CLASS)).toBe(true);
  });

  it('also after a failed start (the panels rendered their error state)', async () => {
    const root = fakeRoot();
    const frames = manualFrames();
    const done = skipOffscreenPanelsWhenStarted(Promise.reject(new Error('no backend')), root, frames.nextFrame);
    await tick();
    frames.run();
    frames.run();
    await done;
    expect(root.classes.has(SKIP_OFFSCREEN_CLASS)).toBe(true);
  });
});

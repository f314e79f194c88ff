// The command registry drives the toolbar, the key handler and the help: every command has its own keys and
// shows up in the rendered toolbar and in the shortcut help.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { exampleMasks } from '../../editing/example';
import { replaceMasks, useStore } from '../../store';
import { CANVAS_KEYS, commandForKey, EDITOR_COMMANDS } from './commands';
import { Editors } from './Editors';

// The editors build ImageData while rendering; Node has none (only width, height and data are used).
class NodeImageData {
  data: Uint8ClampedArray;
  constructor(
    public width: number,
    public height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
  }
}
(globalThis as { ImageData?: unknown }).ImageData ??= NodeImageData;

const press = (key: string, mods: Partial<{ ctrl: boolean; meta: boolean; alt: boolean; shift: boolean }> = {}) => ({
  key,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  altKey: mods.alt ?? false,
  shiftKey: mods.shift ?? false,
});

describe('editor commands', () => {
  beforeEach(() => replaceMasks(exampleMasks(64), 'test'));

  it('each command has an id, a label, a key, an icon and its own key chords', () => {
    const ids = EDITOR_COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const shown = EDITOR_COMMANDS.map((c) => c.key);
    expect(new Set(shown).size).toBe(shown.length);
    // No key press may match two chords: same key and Ctrl/⌘ state, and Shift not told apart.
    const chords = EDITOR_COMMANDS.flatMap((c) => c.chords.map((ch) => ({ id: c.id, ...ch })));
    const clashes = chords.flatMap((a, i) =>
      chords
        .slice(i + 1)
        .filter((b) => a.key === b.key && !!a.mod === !!b.mod && (a.shift ?? b.shift) === (b.shift ?? a.shift))
        .map((b) => `${a.id} / ${b.id}: ${a.key}`),
    );
    expect(clashes).toEqual([]);
    for (const c of EDITOR_COMMANDS) {
      expect(c.label && c.icon && c.help).toBeTruthy();
      expect(c.chords.length).toBeGreaterThan(0);
      for (const ch of c.chords) expect(commandForKey(press(ch.key, { ctrl: ch.mod, shift: ch.shift }))).toBe(c);
    }
  });

  it('the key handler runs the same commands as before', () => {
    expect(commandForKey(press('e'))?.id).toBe('tool-eraser');
    expect(commandForKey(press('E', { shift: true }))?.id).toBe('tool-eraser');
    expect(commandForKey(press('e', { ctrl: true }))).toBeUndefined();
    expect(commandForKey(press('b', { alt: true }))).toBeUndefined();
    expect(commandForKey(press('z', { meta: true }))?.id).toBe('undo');
    expect(commandForKey(press('Z', { ctrl: true, shift: true }))?.id).toBe('redo');
    expect(commandForKey(press('y', { ctrl: true, shift: true }))?.id).toBe('redo');
    expect(commandForKey(press('z', { ctrl: true, alt: true }))).toBeUndefined();
    expect(commandForKey(press('z'))).toBeUndefined();
    expect(commandForKey(press('8'))).toBeUndefined();
    const st = () => useStore.getState();
    commandForKey(press('3'))?.perform(st(), '3'); // only 2 classes: ignored
    expect(st().activeClass).toBe(1);
    commandForKey(press('0'))?.perform(st(), '0');
    expect(st().activeClass).toBe(0);
    const size = st().brushSize;
    commandForKey(press(']'))?.perform(st(), ']');
    expect(st().brushSize).toBe(size + 1);
    commandForKey(press('f'))?.perform(st(), 'f');
    expect(st().tool).toBe('fill');
  });

  it('every command appears in the toolbar and in the shortcut help', () => {
    const html = renderToStaticMarkup(createElement(Editors));
    const help = html.slice(html.indexOf('<details class="shortcuts"'));
    const toolbars = html.slice(0, html.indexOf('<details class="shortcuts"'));
    expect(help.length).toBeGreaterThan(0);
    for (const c of EDITOR_COMMANDS) {
      expect(toolbars, c.id).toContain(`data-command="${c.id}"`);
      expect(help, c.id).toContain(`data-command="${c.id}"`);
    }
    for (const [k] of CANVAS_KEYS) expect(help).toContain(k);
  });
});

// The editors' commands as data (Excalidraw's registered actions are the model): each tool or command is one
// object — id, label, key, icon, where the toolbar shows it and what it does. The ground-truth toolbar, the
// undo/redo buttons, the key handler (useShortcuts) and the "Keyboard shortcuts" help are all generated from
// EDITOR_COMMANDS, so they cannot drift apart. Keys that act on a focused canvas (arrows, Enter, Esc) belong
// to MaskCanvas and are listed in CANVAS_KEYS.
import type { GtTool } from '../../store/masks';
import type { EditorState } from './useEditorStore';

/** A key press a command answers to: `key` is KeyboardEvent.key lower-cased. */
export interface KeyChord {
  key: string;
  /** Ctrl or ⌘ held (and Alt not). Without it the command answers only when no Ctrl, ⌘ or Alt is held. */
  mod?: boolean;
  /** Shift must be held (true) or not (false); absent: either. */
  shift?: boolean;
}

/** Where the editors' toolbars show a command. */
export type CommandSlot = 'gt-tools' | 'gt-class' | 'gt-size' | 'history';

export interface EditorCommand {
  id: string;
  label: string;
  /** The key as the toolbar and the help show it. */
  key: string;
  /** A short glyph for the command (shown in the help). */
  icon: string;
  /** What the help says it does. */
  help: string;
  slot: CommandSlot;
  chords: KeyChord[];
  /** The tool it selects (tool commands are shown pressed while it is the current tool). */
  tool?: GtTool;
  perform(st: EditorState, key: string): void;
  /** Whether it can run now (undo/redo without history are disabled); absent: always. */
  enabled?(st: EditorState): boolean;
}

function tool(id: GtTool, label: string, key: string, icon: string): EditorCommand {
  return {
    id: `tool-${id}`,
    label,
    key,
    icon,
    help: `${label} tool`,
    slot: 'gt-tools',
    chords: [{ key: key.toLowerCase() }],
    tool: id,
    perform: (st) => st.setTool(id),
  };
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7'];

export const EDITOR_COMMANDS: readonly EditorCommand[] = [
  tool('brush', 'Brush', 'B', '✎'),
  tool('eraser', 'Eraser', 'E', '⌫'),
  tool('fill', 'Fill', 'F', '▧'),
  tool('disc', 'Disc', 'D', '●'),
  tool('rect', 'Rect', 'R', '▭'),
  {
    id: 'class',
    label: 'Class',
    key: '0–7',
    icon: '◐',
    help: 'ground-truth class (0 = background)',
    slot: 'gt-class',
    chords: DIGITS.map((key) => ({ key })),
    perform: (st, key) => {
      const c = Number(key);
      if (c < st.numClasses) st.setActiveClass(c);
    },
  },
  {
    id: 'brush-smaller',
    label: 'Smaller brush',
    key: '[',
    icon: '−',
    help: 'brush size −',
    slot: 'gt-size',
    chords: [{ key: '[' }],
    perform: (st) => st.setBrushSize(st.brushSize - 1),
  },
  {
    id: 'brush-larger',
    label: 'Larger brush',
    key: ']',
    icon: '+',
    help: 'brush size +',
    slot: 'gt-size',
    chords: [{ key: ']' }],
    perform: (st) => st.setBrushSize(st.brushSize + 1),
  },
  {
    id: 'undo',
    label: 'Undo',
    key: 'Ctrl/⌘ Z',
    icon: '↶',
    help: 'undo',
    slot: 'history',
    chords: [{ key: 'z', mod: true, shift: false }],
    perform: (st) => st.undo(),
    enabled: (st) => st.history.past.length > 0,
  },
  {
    id: 'redo',
    label: 'Redo',
    key: 'Shift Ctrl/⌘ Z, Ctrl Y',
    icon: '↷',
    help: 'redo',
    slot: 'history',
    chords: [
      { key: 'z', mod: true, shift: true },
      { key: 'y', mod: true },
    ],
    perform: (st) => st.redo(),
    enabled: (st) => st.history.future.length > 0,
  },
];

/** Keys MaskCanvas handles on a focused canvas (listed in the help after the commands). */
export const CANVAS_KEYS: readonly [string, string][] = [
  ['Arrows (Shift: ×8)', 'move the keyboard cursor on a focused canvas'],
  ['Enter / Space', 'apply the tool at the keyboard cursor (Rect: first corner, then second)'],
  ['Esc', 'drop a rectangle’s first corner'],
];

export function commandsIn(slot: CommandSlot): EditorCommand[] {
  return EDITOR_COMMANDS.filter((c) => c.slot === slot);
}

/** The modifier state of a key event. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

function matches(chord: KeyChord, e: KeyPress): boolean {
  const mod = e.ctrlKey || e.metaKey;
  if (chord.key !== e.key.toLowerCase()) return false;
  if (chord.mod ? !mod || e.altKey : mod || e.altKey) return false;
  return chord.shift === undefined || chord.shift === e.shiftKey;
}

/** The command a key press runs, if any. */
export function commandForKey(e: KeyPress): EditorCommand | undefined {
  return EDITOR_COMMANDS.find((c) => c.chords.some((ch) => matches(ch, e)));
}

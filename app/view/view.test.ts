import { describe, expect, it } from 'vitest';
import { pushHistory, sparklinePoints, valuesOfState } from './history';
import { lessonStepForKey, onLessonStep, requestLessonStep } from './lesson-keys';
import { embedSnippet, parseViewMode, withPresent } from './mode';
import { presentedLosses } from './presented';

describe('parseViewMode', () => {
  it('reads the presenter flag and the embedded panel', () => {
    expect(parseViewMode('')).toEqual({ kind: 'explorer' });
    expect(parseViewMode('?present=1')).toEqual({ kind: 'present' });
    expect(parseViewMode('?present=0')).toEqual({ kind: 'explorer' });
    expect(parseViewMode('?embed=heatmap&present=1')).toEqual({ kind: 'embed', panel: 'heatmap' });
    expect(parseViewMode('?embed=race')).toEqual({ kind: 'embed', panel: 'race' });
    expect(parseViewMode('?embed=table')).toEqual({ kind: 'embed-unknown', requested: 'table' });
  });
  it('toggles ?present=1 and keeps the rest of the URL', () => {
    expect(withPresent('http://h/?backend=wasm#x', true)).toBe('http://h/?backend=wasm&present=1#x');
    expect(withPresent('http://h/?present=1&backend=wasm', false)).toBe('http://h/?backend=wasm');
  });
});

describe('embedSnippet', () => {
  it('points an iframe at the panel with the state kept and attributes escaped', () => {
    const s = embedSnippet('http://h/app/?present=1#share=v1&f=dice', 'card', 'Dice "card"');
    expect(s).toBe(
      '<iframe src="http://h/app/?embed=card#share=v1&amp;f=dice" width="520" height="720" title="Dice &quot;card&quot;" style="border:0" loading="lazy"></iframe>',
    );
  });
});

describe('lesson step keys', () => {
  const key = (k: string, targetTag = 'body') => ({
    key: k,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    defaultPrevented: false,
    targetTag,
  });
  it('maps ←/→ to steps except in fields and on a focused canvas', () => {
    expect(lessonStepForKey(key('ArrowRight'))).toBe(1);
    expect(lessonStepForKey(key('ArrowLeft'))).toBe(-1);
    expect(lessonStepForKey(key('ArrowUp'))).toBeNull();
    expect(lessonStepForKey(key('ArrowLeft', 'input'))).toBeNull();
    expect(lessonStepForKey(key('ArrowLeft', 'canvas'))).toBeNull();
    expect(lessonStepForKey({ ...key('ArrowLeft'), defaultPrevented: true })).toBeNull();
  });
  it('delivers requests to subscribers until they unsubscribe', () => {
    const target = new EventTarget();
    const seen: number[] = [];
    const off = onLessonStep((d) => seen.push(d), target);
    requestLessonStep(1, target);
    requestLessonStep(-1, target);
    off();
    requestLessonStep(1, target);
    expect(seen).toEqual([1, -1]);
  });
});

describe('value history', () => {
  it('keeps the last n finite values per loss', () => {
    let h = pushHistory({}, { dice: 1, iou: null });
    h = pushHistory(h, { dice: 2, iou: Number.NaN });
    h = pushHistory(h, { dice: 3 }, 2);
    expect(h).toEqual({ dice: [2, 3] });
  });
  it('an entry takes only the values of the given state, never a stale one', () => {
    const results = {
      dice: { value: 0.25, version: 7 },
      iou: { value: 0.5, version: 6 }, // still the previous state's
      focal: { value: null, version: 7 }, // this state's, failed
    };
    expect(valuesOfState(results, 7)).toEqual({ dice: 0.25, focal: null });
    expect(pushHistory({ iou: [0.4] }, valuesOfState(results, 7))).toEqual({ iou: [0.4], dice: [0.25] });
  });
  it('draws min at the bottom and max at the top', () => {
    expect(sparklinePoints([0, 1], 10, 4)).toBe('0,4 10,0');
    expect(sparklinePoints([5, 5], 10, 4)).toBe('0,2 10,2');
    expect(sparklinePoints([], 10, 4)).toBe('');
  });
});

describe('presentedLosses', () => {
  it('puts the focused loss first, skips switched-off ones and keeps at most four', () => {
    const on = { dice: true, focal: true, iou: true, topk: true, combo: true, tversky: false };
    expect(presentedLosses('dice', ['focal', 'dice', 'tversky', 'iou', 'topk', 'combo'], on)).toEqual([
      'dice',
      'focal',
      'iou',
      'topk',
    ]);
    expect(presentedLosses('tversky', ['focal'], on)).toEqual(['focal']);
  });
});

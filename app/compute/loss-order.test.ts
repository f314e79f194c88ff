import { describe, expect, it } from 'vitest';
import { currentCount, lossOrder } from './loss-order';

const enabled = { dice: true, iou: true, 'cross-entropy': true, focal: false } as const;

describe('lossOrder', () => {
  it('puts the focused loss first, then the compared ones, then the table order; only enabled ones', () => {
    const order = lossOrder({ enabled, focusedLoss: 'iou', multiples: ['dice'] });
    expect(order).toEqual(['iou', 'dice', 'cross-entropy']);
  });

  it('returns the same array for the same inputs and a new one when any of them changes', () => {
    const multiples = ['dice'] as const;
    const a = lossOrder({ enabled, focusedLoss: 'iou', multiples: [...multiples] });
    const s = { enabled, focusedLoss: 'iou' as const, multiples: [...multiples] };
    const b = lossOrder(s);
    expect(lossOrder(s)).toBe(b); // memoised on the inputs' identity
    expect(b).toEqual(a);
    const refocused = lossOrder({ ...s, focusedLoss: 'dice' });
    expect(refocused).toEqual(['dice', 'cross-entropy', 'iou']);
    expect(lossOrder({ ...s, enabled: { ...enabled, iou: false } })).toEqual(['dice', 'cross-entropy']);
    expect(lossOrder(s)).toEqual(['iou', 'dice', 'cross-entropy']);
  });

  it('counts the losses whose shown result belongs to the state in the store', () => {
    const s = { enabled, focusedLoss: 'iou' as const, multiples: [], stateVersion: 3 };
    const results = { iou: { version: 3 }, dice: { version: 2 }, focal: { version: 3 } };
    expect(currentCount({ ...s, results } as never)).toBe(1); // focal is off
  });
});

import { describe, expect, it } from 'vitest';
import { announceDelay, lossAnnouncement } from './announce';

describe('loss announcements', () => {
  it('says the focused loss value, or its error', () => {
    expect(lossAnnouncement('Dice loss', { value: 0.123456, error: null })).toBe('Dice loss is 0.1235');
    expect(lossAnnouncement('Dice loss', { value: null, error: 'bad input' })).toBe('Dice loss: error, bad input');
    expect(lossAnnouncement('Dice loss', { value: null, error: null })).toBeNull();
    expect(lossAnnouncement('Dice loss', undefined)).toBeNull();
  });

  it('waits out the rest of the gap since the last announcement', () => {
    expect(announceDelay(5000, null)).toBe(0);
    expect(announceDelay(5000, 4700)).toBe(700);
    expect(announceDelay(5000, 3000)).toBe(0);
    expect(announceDelay(5000, 4900, 200)).toBe(100);
  });
});

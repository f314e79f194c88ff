import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../store/settings';
import { FieldError, pickSettings, SETTING_FIELDS, settingsFromSaved, sharedSettingsOf } from './fields';

describe('the settings table', () => {
  it('describes every setting once, and the link keys are distinct', () => {
    const names = SETTING_FIELDS.map((f) => f.name);
    expect([...names].sort()).toEqual(Object.keys(defaultSettings()).sort());
    const keys = SETTING_FIELDS.flatMap((f) => ('link' in f && f.link ? [f.link.key] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(['loss', 'grid', 'p', 'off', 'hm', 'hc', 'cmp']);
  });

  it('reads back what it saves, and names the first bad field', () => {
    const d = defaultSettings();
    expect(settingsFromSaved({ ...pickSettings(d) }, { numClasses: 2 })).toEqual(d);
    // Keys outside the table (a hostile or future session) never reach the store.
    expect(settingsFromSaved({ ...pickSettings(d), undo: 'x' }, { numClasses: 2 })).toEqual(d);
    expect(() => settingsFromSaved({ ...pickSettings(d), gridSize: 100 }, { numClasses: 2 })).toThrow(FieldError);
    expect(() => settingsFromSaved({ ...pickSettings(d), backendChoice: 'tpu' }, { numClasses: 2 })).toThrow(
      'backend is invalid',
    );
  });

  it('shares the switched-off losses as a list', () => {
    const d = defaultSettings();
    expect(sharedSettingsOf({ ...d, enabled: { ...d.enabled, dice: false } }).disabled).toEqual(['dice']);
  });
});

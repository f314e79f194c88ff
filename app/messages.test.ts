import { describe, expect, it } from 'vitest';
import { boundNotice, errorMessage, MAX_NOTICE_LENGTH, quote } from './messages';
import { useStore } from './store';

describe('user-facing messages', () => {
  it('quotes short text whole and long text in part, with its length', () => {
    expect(quote('dice')).toBe("'dice'");
    const q = quote('z'.repeat(5000), 10);
    expect(q).toBe("'zzzzzzzzzz…' (5000 characters)");
  });

  it('bounds every notice the store keeps', () => {
    expect(boundNotice('short')).toBe('short');
    expect(boundNotice('a'.repeat(10_000))).toHaveLength(MAX_NOTICE_LENGTH);
    useStore.getState().pushNotice(`version ${'9'.repeat(1_000_000)}`, 'error');
    const last = useStore.getState().notices.at(-1);
    expect(last?.text.length).toBe(MAX_NOTICE_LENGTH);
  });

  it('reads the message of anything thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
  });
});

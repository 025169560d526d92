import { describe, expect, it } from 'vitest';
import { RecentCounterparties } from './recent-counterparties.js';
import { ownSlot } from './state-slot.js';

describe('RecentCounterparties', () => {
  it('knows the last few distinct counterparties and forgets the oldest past its size', () => {
    const recent = new RecentCounterparties(2);
    const slot = ownSlot(recent.width);
    expect(recent.seenThenAdd(slot, '0xa')).toBe(false);
    expect(recent.seenThenAdd(slot, '0xa')).toBe(true);
    expect(recent.seenThenAdd(slot, '0xb')).toBe(false);
    expect(recent.seenThenAdd(slot, '0xc')).toBe(false);
    expect(recent.seenThenAdd(slot, '0xb')).toBe(true);
    expect(recent.seenThenAdd(slot, '0xa')).toBe(false);
  });
});

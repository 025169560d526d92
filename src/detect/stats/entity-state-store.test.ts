import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../key-index.js';
import { EntityStateStore } from './entity-state-store.js';

const hour = 3_600_000;

describe('EntityStateStore', () => {
  it('gives a new entity zeroed numbers and keeps them for the next acquire', () => {
    const store = new EntityStateStore({ width: 3 });
    const a = store.acquire('a', 0);
    expect([...store.data.subarray(a, a + 3)]).toEqual([0, 0, 0]);
    store.data[a + 1] = 7;
    expect(store.data[store.acquire('a', 1) + 1]).toBe(7);
  });

  it('evicts entities not seen within the TTL, in event time', () => {
    const store = new EntityStateStore({ width: 1, ttlMs: 24 * hour });
    store.acquire('old', 0);
    store.acquire('recent', 20 * hour);
    store.acquire('fresh', 25 * hour);
    expect(store.has('old')).toBe(false);
    expect([...store.keys()]).toEqual(['fresh', 'recent']);
    expect(store.evictions).toEqual({ expired: 1, displaced: 0 });
  });

  it('does not expire an entity that keeps being seen', () => {
    const store = new EntityStateStore({ width: 1, ttlMs: 10 });
    for (let t = 0; t < 100; t += 5) store.acquire('busy', t);
    expect(store.has('busy')).toBe(true);
  });

  it('holds at most maxEntries, evicting the least recently used', () => {
    const store = new EntityStateStore({ width: 2, maxEntries: 3 });
    store.acquire('a', 0);
    store.acquire('b', 1);
    store.acquire('c', 2);
    store.acquire('a', 3);
    store.acquire('d', 4);
    expect(store.size).toBe(3);
    expect(store.has('b')).toBe(false);
    expect([...store.keys()]).toEqual(['d', 'a', 'c']);
    expect(store.evictions.displaced).toBe(1);
  });

  it('reuses an evicted slot with zeroed numbers', () => {
    const store = new EntityStateStore({ width: 2, maxEntries: 1 });
    const a = store.acquire('a', 0);
    store.data[a] = 5;
    const b = store.acquire('b', 1);
    expect(b).toBe(a);
    expect(store.data[b]).toBe(0);
  });

  it('keeps numbers when the slab grows', () => {
    const store = new EntityStateStore({ width: 2, initialCapacity: 2 });
    for (let i = 0; i < 100; i += 1) {
      // Acquire first, then read `data`: growing replaces the slab.
      const at = store.acquire(`k${i}`, i);
      store.data[at + 1] = i;
    }
    for (let i = 0; i < 100; i += 1) expect(store.data[(store.peek(`k${i}`) ?? -1) + 1]).toBe(i);
  });

  it('stays within its cap through a million distinct entities', () => {
    const store = new EntityStateStore({ width: 36, maxEntries: 10_000 });
    for (let i = 0; i < 1_000_000; i += 1) store.acquire(`ethereum:ETH:0x${i.toString(16).padStart(40, '0')}`, i);
    expect(store.size).toBe(10_000);
    expect(store.data.length).toBe(10_000 * 36);
    expect(store.evictions.displaced).toBe(990_000);
  });

  it('deletes on request', () => {
    const store = new EntityStateStore({ width: 1 });
    store.acquire('a', 0);
    expect(store.delete('a')).toBe(true);
    expect(store.delete('a')).toBe(false);
    expect(store.size).toBe(0);
    store.acquire('b', 1);
    expect([...store.keys()]).toEqual(['b']);
  });
});

describe('EntityStateStore groups', () => {
  it('keeps a key in two groups as two entities, under one cap and one recency order', () => {
    const store = new EntityStateStore({ width: 1, maxEntries: 2 });
    const eth = store.acquire('0xa', 0, 'ethereum:ETH');
    store.data[eth] = 1;
    const usdc = store.acquire('0xa', 1, 'ethereum:USDC');
    expect(usdc).not.toBe(eth);
    expect(store.data[usdc]).toBe(0);
    expect(store.peek('0xa', 'ethereum:ETH')).toBe(eth);
    expect(store.has('0xa')).toBe(false);
    store.acquire('0xb', 2, 'ethereum:ETH');
    expect(store.size).toBe(2);
    expect(store.has('0xa', 'ethereum:ETH')).toBe(false);
    expect(store.has('0xa', 'ethereum:USDC')).toBe(true);
  });

  it('shares key ids with maps over the same keys, and lets go of them when it evicts', () => {
    const keys = new KeyIndex<string>();
    const store = new EntityStateStore({ width: 1, maxEntries: 1, keys });
    store.acquire('0xa', 0, 'g');
    expect(keys.find('0xa')).not.toBe(-1);
    store.acquire('0xb', 1, 'g');
    expect(keys.find('0xa')).toBe(-1);
    expect(store.delete('0xb', 'g')).toBe(true);
    expect(keys.size).toBe(0);
  });

  it('behaves as one store keyed by group and key together, and drops a group when its last entity goes', () => {
    const step = fc.record({
      op: fc.constantFrom('acquire', 'acquire', 'acquire', 'delete', 'peek', 'expire'),
      group: fc.integer({ min: 0, max: 5 }),
      key: fc.integer({ min: 0, max: 9 }),
      dt: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const keys = new KeyIndex<string>();
        const filler = new EntityStateStore({ width: 1, keys });
        for (let n = 0; n < 40; n += 1) filler.acquire(`k${n}`, 0, 'filler');
        const grouped = new EntityStateStore({ width: 1, maxEntries: 6, ttlMs: 8, keys });
        const flat = new EntityStateStore({ width: 1, maxEntries: 6, ttlMs: 8 });
        let now = 0;
        for (const [i, s] of steps.entries()) {
          now += s.dt;
          // Groups also empty by deletion and expiry, not only by eviction, and their numbers are handed out again.
          if (s.op === 'delete') expect(grouped.delete(`k${s.key}`, `g${s.group}`)).toBe(flat.delete(`g${s.group}/k${s.key}`));
          else if (s.op === 'expire') expect(grouped.expire(now)).toBe(flat.expire(now));
          else if (s.op === 'peek') {
            const gp = grouped.peek(`k${s.key}`, `g${s.group}`);
            const fp = flat.peek(`g${s.group}/k${s.key}`);
            expect(gp === undefined ? undefined : grouped.data[gp]).toBe(fp === undefined ? undefined : flat.data[fp]);
          }
          if (s.op !== 'acquire') {
            expect(grouped.size).toBe(flat.size);
            continue;
          }
          const g = grouped.acquire(`k${s.key}`, now, `g${s.group}`);
          const f = flat.acquire(`g${s.group}/k${s.key}`, now);
          // The same entity on both sides: the number written when it was made is still there.
          expect(grouped.data[g]).toBe(flat.data[f]);
          if (grouped.data[g] === 0) {
            grouped.data[g] = i + 1;
            flat.data[f] = i + 1;
          }
          expect(grouped.size).toBe(flat.size);
          expect(grouped.evictions).toEqual(flat.evictions);
        }
        const live = new Set([...flat.keys()].map((k) => k.split('/')[0]));
        expect(grouped.groups).toBe(live.size);
        for (let group = 0; group <= 5; group += 1) {
          for (let key = 0; key <= 9; key += 1) expect(grouped.has(`k${key}`, `g${group}`)).toBe(flat.has(`g${group}/k${key}`));
        }
      }),
    );
  });
});

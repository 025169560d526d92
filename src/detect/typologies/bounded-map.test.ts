import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../key-index.js';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('a full map drops the least recently written entry for a new key', () => {
    const map = new BoundedMap<string, number>({ maxEntries: 2, ttlMs: Infinity });
    map.set('a', 1, 0);
    map.set('b', 2, 1);
    map.set('a', 3, 2);
    map.set('c', 4, 3);
    expect(map.size).toBe(2);
    expect(map.get('b', 3)).toBeUndefined();
    expect(map.get('a', 3)).toBe(3);
    expect(map.get('c', 3)).toBe(4);
  });

  it('an entry is alive up to exactly the TTL after its last write and gone one millisecond later', () => {
    const map = new BoundedMap<string, number>({ maxEntries: 10, ttlMs: 1000 });
    map.set('a', 1, 0);
    expect(map.get('a', 1000)).toBe(1);
    expect(map.get('a', 1001)).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it('reading does not make an entry younger; writing does', () => {
    const map = new BoundedMap<string, number>({ maxEntries: 10, ttlMs: 1000 });
    map.set('a', 1, 0);
    map.get('a', 900);
    expect(map.get('a', 1500)).toBeUndefined();
    map.set('b', 1, 0);
    map.set('b', 2, 900);
    expect(map.get('b', 1500)).toBe(2);
  });

  it('writes sweep expired entries from the head, so idle keys do not pile up', () => {
    const map = new BoundedMap<number, number>({ maxEntries: 1_000_000, ttlMs: 10 });
    for (let i = 0; i < 10_000; i += 1) map.set(i, i, i);
    expect(map.size).toBeLessThanOrEqual(11 + 8);
  });

  it('refuses a cap below one and a TTL that is not positive', () => {
    expect(() => new BoundedMap({ maxEntries: 0, ttlMs: 1 })).toThrow(RangeError);
    expect(() => new BoundedMap({ maxEntries: 1, ttlMs: 0 })).toThrow(RangeError);
  });

  it('whatever the writes, the size never exceeds the cap and no expired value is returned', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5 })), { maxLength: 300 }),
        (cap, ttl, writes) => {
          const map = new BoundedMap<number, number>({ maxEntries: cap, ttlMs: ttl });
          const written = new Map<number, number>();
          let now = 0;
          for (const [key, step] of writes) {
            now += step;
            map.set(key, now, now);
            written.set(key, now);
            expect(map.size).toBeLessThanOrEqual(cap);
            const probe = map.get((key * 7) % 41, now);
            if (probe !== undefined) expect(now - probe).toBeLessThanOrEqual(ttl);
          }
        },
      ),
    );
  });

  it('maps sharing an index of keys answer exactly as maps with indexes of their own, and the index forgets what none holds', () => {
    const op = fc.record({ map: fc.integer({ min: 0, max: 2 }), kind: fc.constantFrom('set', 'get', 'delete'), key: fc.integer({ min: 0, max: 12 }), step: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const bounds = [
          { maxEntries: 3, ttlMs: 10 },
          { maxEntries: 8, ttlMs: 5 },
          { maxEntries: 20, ttlMs: Infinity },
        ];
        const keys = new KeyIndex<number>();
        // Another holder of many keys first, so that the ids the maps see run far past their first arrays.
        const filler = new BoundedMap<number, number>({ maxEntries: 1000, ttlMs: Infinity, keys });
        for (let k = 100; k < 400; k += 1) filler.set(k, k, 0);
        const shared = bounds.map((b) => new BoundedMap<number, number>({ ...b, keys }));
        const own = bounds.map((b) => new BoundedMap<number, number>(b));
        let now = 0;
        for (const [i, o] of ops.entries()) {
          now += o.step;
          const pair = [shared[o.map]!, own[o.map]!] as const;
          if (o.kind === 'set') for (const m of pair) m.set(o.key, i, now);
          else if (o.kind === 'get') expect(pair[0].get(o.key, now)).toBe(pair[1].get(o.key, now));
          else expect(pair[0].delete(o.key)).toBe(pair[1].delete(o.key));
          for (let m = 0; m < bounds.length; m += 1) expect(shared[m]!.size).toBe(own[m]!.size);
        }
        for (let m = 0; m < bounds.length; m += 1) expect([...shared[m]!.values(now)]).toEqual([...own[m]!.values(now)]);
        for (const m of shared) for (let key = 0; key <= 12; key += 1) m.delete(key);
        expect(keys.size).toBe(300);
      }),
    );
  });

  it("a slot is its entry's from the write that answers it until the entry goes, and slots stay below the cap plus one", () => {
    const op = fc.record({ kind: fc.constantFrom('set', 'slot', 'delete'), key: fc.integer({ min: 0, max: 15 }), step: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 20 }), fc.array(op, { maxLength: 300 }), (cap, ttl, ops) => {
        const map = new BoundedMap<number, string>({ maxEntries: cap, ttlMs: ttl });
        /** What a caller keeps by slot: the key whose entry holds it. */
        const owner = new Map<number, number>();
        let now = 0;
        for (const o of ops) {
          now += o.step;
          if (o.kind === 'set') {
            const before = map.slotOf(o.key, now);
            const slot = map.set(o.key, `v${o.key}@${now}`, now);
            if (before !== -1) expect(slot).toBe(before);
            expect(slot).toBeGreaterThanOrEqual(0);
            expect(slot).toBeLessThan(cap + 1);
            for (const [s, k] of owner) if (k === o.key || s === slot) owner.delete(s);
            owner.set(slot, o.key);
            expect(map.valueAt(slot)).toBe(`v${o.key}@${now}`);
          } else if (o.kind === 'slot') {
            const slot = map.slotOf(o.key, now);
            expect(slot === -1 ? undefined : map.valueAt(slot)).toBe(map.get(o.key, now));
            if (slot !== -1) expect(owner.get(slot)).toBe(o.key);
          } else map.delete(o.key);
        }
      }),
    );
  });
});

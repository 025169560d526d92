import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../key-index.js';
import { BoundedMap } from '../typologies/bounded-map.js';
import { AddressClusters } from './address-clusters.js';

/** Connected components the slow way, as the reference. */
function components(pairs: readonly (readonly [string, string])[], addresses: readonly string[]): Map<string, Set<string>> {
  const of = new Map<string, Set<string>>(addresses.map((a) => [a, new Set([a])]));
  for (const [a, b] of pairs) {
    const sa = of.get(a) ?? new Set([a]);
    const sb = of.get(b) ?? new Set([b]);
    if (sa === sb) continue;
    for (const x of sb) {
      sa.add(x);
      of.set(x, sa);
    }
    of.set(a, sa);
  }
  return of;
}

describe('AddressClusters', () => {
  it('keeps an address never linked as its own cluster, without storing it', () => {
    const clusters = new AddressClusters();
    expect(clusters.find('a')).toBe('a');
    expect(clusters.members('a')).toEqual(['a']);
    expect(clusters.size('a')).toBe(1);
    expect(clusters.tracked).toBe(0);
  });

  it('merges the smaller cluster into the larger and lists every member', () => {
    const clusters = new AddressClusters();
    expect(clusters.union('a', 'b')).toEqual({ root: 'a', absorbed: 'b' });
    expect(clusters.union('c', 'a')).toEqual({ root: 'a', absorbed: 'c' });
    expect(clusters.union('b', 'c')).toBeUndefined();
    expect([...clusters.members('c')].sort()).toEqual(['a', 'b', 'c']);
    expect(clusters.size('b')).toBe(3);
    expect(clusters.clusters).toBe(1);
    expect(clusters.tracked).toBe(3);
  });

  it('answers whether an address is clustered by its id in the shared index too', () => {
    const keys = new KeyIndex<string>();
    const clusters = new AddressClusters(keys);
    const lone = keys.acquire('lone');
    clusters.union('a', 'b');
    expect(clusters.isClusteredId(keys.find('a'))).toBe(true);
    expect(clusters.isClusteredId(keys.find('b'))).toBe(true);
    expect(clusters.isClusteredId(lone)).toBe(false);
    expect(clusters.isClusteredId(-1)).toBe(false);
    expect(clusters.isClusteredId(1_000_000)).toBe(false);
  });

  it('agrees with connected components for any sequence of unions', () => {
    const address = fc.integer({ min: 0, max: 30 }).map((n) => `a${n}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(address, address), { maxLength: 60 }), (pairs) => {
        const clusters = new AddressClusters();
        for (const [a, b] of pairs) clusters.union(a, b);
        const all = Array.from({ length: 31 }, (_, n) => `a${n}`);
        const reference = components(pairs, all);
        for (const a of all) {
          expect(new Set(clusters.members(a))).toEqual(reference.get(a));
          for (const b of all) expect(clusters.same(a, b)).toBe(reference.get(a)?.has(b) ?? false);
        }
      }),
    );
  });

  it('compacts away forgotten addresses, re-rooting a cluster whose root went', () => {
    const clusters = new AddressClusters();
    clusters.union('root', 'x');
    clusters.union('root', 'y');
    clusters.union('p', 'q');
    clusters.union('s', 't');
    const moved = clusters.compact((a) => !['root', 'q', 's', 't'].includes(a));
    expect(moved.get('root')).toBe('x');
    expect(clusters.same('x', 'y')).toBe(true);
    expect(moved.get('p')).toBe('p');
    expect(clusters.find('p')).toBe('p');
    expect(clusters.size('p')).toBe(1);
    expect(moved.has('s')).toBe(true);
    expect(moved.get('s')).toBeUndefined();
    expect(clusters.tracked).toBe(2);
  });

  it('keeps the partition of the addresses it keeps through compaction', () => {
    const address = fc.integer({ min: 0, max: 20 }).map((n) => `a${n}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(address, address), { maxLength: 40 }), fc.func(fc.boolean()), (pairs, keepFn) => {
        const clusters = new AddressClusters();
        for (const [a, b] of pairs) clusters.union(a, b);
        const all = Array.from({ length: 21 }, (_, n) => `a${n}`);
        const keep = new Set(all.filter((a) => keepFn(a)));
        const before = new Map(all.map((a) => [a, clusters.find(a)]));
        clusters.compact((a) => keep.has(a));
        for (const a of keep) for (const b of keep) expect(clusters.same(a, b)).toBe(before.get(a) === before.get(b));
        for (const a of all) if (!keep.has(a)) expect(clusters.size(a)).toBe(1);
      }),
    );
  });

  it('compacting only the suspects gives what compacting everything gives, when every forgotten address is a suspect', () => {
    const address = fc.integer({ min: 0, max: 20 }).map((n) => `a${n}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(address, address), { maxLength: 40 }), fc.func(fc.boolean()), fc.func(fc.boolean()), (pairs, keepFn, extraFn) => {
        const whole = new AddressClusters();
        const targeted = new AddressClusters();
        for (const [a, b] of pairs) {
          whole.union(a, b);
          targeted.union(a, b);
        }
        const all = Array.from({ length: 21 }, (_, n) => `a${n}`);
        const keep = new Set(all.filter((a) => keepFn(a)));
        // The forgotten addresses, and some kept ones besides: a suspect may turn out to be there still.
        const suspects = all.filter((a) => !keep.has(a) || extraFn(a));
        const moved = whole.compact((a) => keep.has(a));
        const movedToo = targeted.compactSuspects(suspects, (a) => keep.has(a));
        expect(new Map([...movedToo].sort())).toEqual(new Map([...moved].sort()));
        expect(targeted.tracked).toBe(whole.tracked);
        expect(targeted.clusters).toBe(whole.clusters);
        for (const a of all) {
          expect(targeted.find(a)).toBe(whole.find(a));
          expect(targeted.members(a)).toEqual(whole.members(a));
        }
      }),
    );
  });

  it('answers the same with an index of ids shared with other maps that take and drop the same addresses', () => {
    const address = fc.integer({ min: 0, max: 15 }).map((n) => `a${n}`);
    const step = fc.oneof(
      fc.record({ kind: fc.constant('union' as const), a: address, b: address }),
      fc.record({ kind: fc.constant('other' as const), a: address, drop: fc.boolean() }),
      fc.record({ kind: fc.constant('compact' as const), gone: fc.array(address, { maxLength: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const keys = new KeyIndex<string>();
        // Another holder of many addresses first, so that the forest's ids run past its first arrays.
        const filler = new BoundedMap<string, number>({ maxEntries: 1000, ttlMs: Infinity, keys });
        for (let n = 0; n < 100; n += 1) filler.set(`f${n}`, n, 0);
        const shared = new AddressClusters(keys);
        const other = new BoundedMap<string, number>({ maxEntries: 4, ttlMs: Infinity, keys });
        const own = new AddressClusters();
        for (const [i, s] of steps.entries()) {
          if (s.kind === 'union') expect(shared.union(s.a, s.b)).toEqual(own.union(s.a, s.b));
          else if (s.kind === 'other') {
            if (s.drop) other.delete(s.a);
            else other.set(s.a, i, i);
          } else {
            const keep = (a: string) => !s.gone.includes(a);
            expect(new Map([...shared.compactSuspects(s.gone, keep)].sort())).toEqual(new Map([...own.compactSuspects(s.gone, keep)].sort()));
          }
        }
        expect(shared.tracked).toBe(own.tracked);
        expect(shared.clusters).toBe(own.clusters);
        for (let n = 0; n <= 15; n += 1) {
          expect(shared.find(`a${n}`)).toBe(own.find(`a${n}`));
          expect(shared.members(`a${n}`)).toEqual(own.members(`a${n}`));
        }
        for (let n = 0; n <= 15; n += 1) other.delete(`a${n}`);
        shared.compact(() => false);
        expect(keys.size).toBe(100);
      }),
    );
  });
});

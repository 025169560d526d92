import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asJson, boundedKey, capped, httpLink, nonBlank, parseTime, stringLeaves, summaryText, withoutNul } from './text.js';

describe('ingest text helpers', () => {
  it('capping leaves short text alone and marks a cut with an ellipsis', () => {
    expect(capped('short', 10)).toBe('short');
    expect(capped('abcdefghij', 5)).toBe('abcd…');
  });

  it('capping never splits a surrogate pair', () => {
    const cut = capped('abc🚨🚨🚨', 5);
    expect(cut).toBe('abc…');
  });

  it('capped text is never longer than its limit and never ends a cut on half a character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.nat({ max: 60 }), (text, max) => {
        const cut = capped(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut).not.toMatch(/[\uD800-\uDBFF]…$/);
      }),
    );
  });

  it('a key over 255 characters is hashed, so long keys with a shared prefix stay apart', () => {
    const a = boundedKey(`${'k'.repeat(300)}a`);
    const b = boundedKey(`${'k'.repeat(300)}b`);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(boundedKey('k'.repeat(255))).toBe('k'.repeat(255));
  });

  it('NUL characters, which PostgreSQL text refuses, are replaced', () => {
    expect(withoutNul('a\u0000b')).toBe('a\uFFFDb');
    expect(boundedKey('a\u0000b')).toBe('a\uFFFDb');
  });

  it('blank text counts as absent', () => {
    expect(nonBlank(' \t\n')).toBeUndefined();
    expect(nonBlank(3)).toBeUndefined();
    expect(nonBlank(' x ')).toBe(' x ');
    expect(summaryText(['  ', undefined, '  Disk full  '], 'fallback')).toBe('Disk full');
    expect(summaryText([null], 'fallback')).toBe('fallback');
  });

  it('times at or before the epoch, like Alertmanager zero time, count as no time', () => {
    expect(parseTime('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(parseTime('1970-01-01T00:00:00Z')).toBeUndefined();
    expect(parseTime('garbage')).toBeUndefined();
    expect(parseTime('2024-03-07T12:00:00+01:00')).toBe(Date.UTC(2024, 2, 7, 11));
  });

  it('only http and https links are kept', () => {
    expect(httpLink(' https://example.com/x ', ' Docs ')).toEqual({ href: 'https://example.com/x', text: 'Docs' });
    expect(httpLink('http://example.com', '')).toEqual({ href: 'http://example.com' });
    for (const href of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'file:///etc/passwd', '/relative', '', 42]) {
      expect(httpLink(href)).toBeUndefined();
    }
  });

  it('string leaves of nested details flatten to dotted names; other values are left out', () => {
    expect(stringLeaves({ a: 'x', b: 1, c: { d: 'y', e: [1, 'z'] }, f: null })).toEqual({ a: 'x', 'c.d': 'y' });
    expect(stringLeaves('text')).toEqual({});
    expect(stringLeaves([{ a: 'x' }])).toEqual({});
  });

  it('a __proto__ detail stays an ordinary key', () => {
    const leaves = stringLeaves(JSON.parse('{"__proto__": "x"}'));
    expect(Object.keys(leaves)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(leaves)).toBe(Object.prototype);
  });

  it('raw JSON drops what JSON cannot hold and cuts nesting beyond 64 levels', () => {
    expect(asJson({ a: undefined, b: Number.NaN, c: [undefined, -0], d: 10n, e: () => 1 })).toEqual({ b: null, c: [null, 0], d: '10' });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(JSON.stringify(asJson(deep))).toContain('[nesting too deep]');
  });

  it('raw JSON of a JSON value is that value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(asJson(value)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVigilError } from '../core/errors.js';
import type { Matcher } from '../core/matcher.js';
import { alertLabelSet, matchesAll, parseMatcherList, parseMatchers, printMatcher, printMatchers } from './matchers.js';

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
const literal = fc.string({ maxLength: 20, unit: 'binary' });
/** A literal turned into a regular expression that matches exactly it. */
const regex = literal.map((s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
const matcher: fc.Arbitrary<Matcher> = fc.oneof(
  fc.record({ name, operator: fc.constantFrom('=' as const, '!=' as const), value: literal }),
  fc.record({ name, operator: fc.constantFrom('=~' as const, '!~' as const), value: regex }),
);

describe('matchers', () => {
  it('reads a braced set and a bare list alike', () => {
    const expected = [
      { name: 'alertname', operator: '=', value: 'ChainHalted' },
      { name: 'wallet', operator: '=~', value: 'hot-.*' },
      { name: 'env', operator: '!=', value: 'staging' },
      { name: 'team', operator: '!~', value: 'ops|sre' },
    ];
    expect(parseMatchers('{alertname="ChainHalted", wallet=~"hot-.*", env!="staging", team!~"ops|sre"}')).toEqual(expected);
    expect(parseMatchers('alertname=ChainHalted,wallet=~"hot-.*" , env!="staging",team!~"ops|sre"')).toEqual(expected);
    expect(parseMatcherList(['alertname="ChainHalted"', '{wallet=~"hot-.*", env!=staging}', 'team!~"ops|sre"'])).toEqual(expected);
  });

  it('reads escapes in quoted values and allows a trailing comma in braces', () => {
    expect(parseMatchers('{summary="say \\"hi\\"\\n", path="a\\\\b",}')).toEqual([
      { name: 'summary', operator: '=', value: 'say "hi"\n' },
      { name: 'path', operator: '=', value: 'a\\b' },
    ]);
  });

  it('anchors regular expressions at both ends, as Alertmanager does', () => {
    const [m] = parseMatchers('chain=~"eth"');
    expect(matchesAll([m!], { chain: 'eth' })).toBe(true);
    expect(matchesAll([m!], { chain: 'ethereum' })).toBe(false);
    expect(matchesAll(parseMatchers('chain=~"eth|btc"'), { chain: 'btc' })).toBe(true);
  });

  it('treats a missing label as the empty string', () => {
    expect(matchesAll(parseMatchers('wallet!=""'), {})).toBe(false);
    expect(matchesAll(parseMatchers('wallet!=""'), { wallet: 'w1' })).toBe(true);
    expect(matchesAll(parseMatchers('wallet=""'), {})).toBe(true);
    expect(matchesAll(parseMatchers('wallet!~"w.*"'), {})).toBe(true);
  });

  it('sees service, source and severity beside the labels, a sender label of the same name winning', () => {
    const labels = alertLabelSet({ service: 'wallets', source: 'alertmanager', severity: 'critical', labels: { chain: 'ethereum', severity: 'page' } });
    expect(matchesAll(parseMatchers('{service="wallets", source="alertmanager", chain="ethereum"}'), labels)).toBe(true);
    expect(matchesAll(parseMatchers('severity="page"'), labels)).toBe(true);
  });

  it.each([
    ['', 'expected at least one matcher at the end'],
    ['{', 'expected a label name at the end'],
    ['{chain="x"', 'expected , or } at the end'],
    ['chain', 'expected =, !=, =~ or !~ at the end'],
    ['1chain="x"', 'expected a label name at character 1'],
    ['chain="ethereum', 'expected a closing " at the end'],
    ['chain=~"(unclosed"', 'expected a valid regular expression at character 8'],
    ['{chain="x"} extra', 'unexpected text after } at character 13'],
    ['chain="x" wallet="y"', 'expected , between matchers at character 11'],
    ['chain="\\q"', 'expected an escape'],
    ['chain=', 'expected a value (quote it: "...") at the end'],
  ])('refuses %j, saying where: %s', (text, problem) => {
    let error: unknown;
    try {
      parseMatchers(text);
    } catch (e) {
      error = e;
    }
    expect(isVigilError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toContain(problem);
  });

  it('reads back what it prints, for any names and values', () => {
    fc.assert(
      fc.property(fc.array(matcher, { minLength: 1, maxLength: 5 }), (list) => {
        expect(parseMatchers(printMatchers(list))).toEqual(list);
        expect(parseMatcherList(list.map(printMatcher))).toEqual(list);
      }),
    );
  });

  it('fails on any input only with a VALIDATION_FAILED error', () => {
    const noise = fc.oneof(fc.string({ maxLength: 40, unit: 'binary' }), fc.stringMatching(/^[{}",=!~a-z_ \\.*()[\]|]{0,30}$/));
    fc.assert(
      fc.property(noise, (text) => {
        try {
          parseMatchers(text);
        } catch (error) {
          expect(isVigilError(error, 'VALIDATION_FAILED')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

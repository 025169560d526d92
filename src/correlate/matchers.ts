/**
 * Alertmanager's matcher syntax: `{chain="ethereum", wallet=~"hot-.*"}` or the same list without
 * braces, one matcher or several. Names are Prometheus label names; values are double-quoted
 * (with `\"`, `\\`, `\n`, `\t`, `\r` escapes) or, as amtool allows, a bare word. Regular
 * expressions are anchored at both ends, as in Alertmanager: `=~"eth"` matches only `eth`.
 * A missing label has the value "", so `wallet!=""` means "has a wallet label".
 */
import type { AlertSeverity, AlertSource } from '../core/alert.js';
import { VigilError } from '../core/errors.js';
import type { MatchOperator, Matcher } from '../core/matcher.js';

const maxRegexCache = 1000;
const regexCache = new Map<string, RegExp>();

/** Fails with VALIDATION_FAILED, naming the input, the place and what was expected there. */
function fail(options: { text: string; at: number; problem: string; path: string }): never {
  const { text, at, problem, path } = options;
  const near = text.slice(at, at + 12);
  const where = at >= text.length ? 'at the end' : `at character ${at + 1} (near ${JSON.stringify(near)})`;
  const message = `bad matcher ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}: ${problem} ${where}`;
  throw new VigilError('VALIDATION_FAILED', message, { details: [{ path, message: `${problem} ${where}` }] });
}

/** The anchored regular expression of a regex matcher's value; VALIDATION_FAILED when it does not compile. */
export function matcherRegex(value: string, path = 'matchers'): RegExp {
  const cached = regexCache.get(value);
  if (cached !== undefined) return cached;
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${value})$`);
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', `bad regular expression ${JSON.stringify(value)}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      details: [{ path, message: 'is not a valid regular expression' }],
      cause,
    });
  }
  if (regexCache.size >= maxRegexCache) regexCache.clear();
  regexCache.set(value, regex);
  return regex;
}

/**
 * Parses `{a="b", c=~"d.*"}`, `a="b", c=~"d.*"` or one matcher. Anything else fails with
 * VALIDATION_FAILED and the position of the problem; nothing else is ever thrown.
 */
export function parseMatchers(text: string, path = 'matchers'): Matcher[] {
  const parser = new MatcherParser(text, path);
  return parser.parse();
}

/** Parses each item (a matcher or a set) and concatenates them; problems name the item's path. */
export function parseMatcherList(items: readonly string[], path = 'matchers'): Matcher[] {
  return items.flatMap((item, index) => parseMatchers(item, `${path}.${index}`));
}

class MatcherParser {
  #at = 0;
  readonly #text: string;
  readonly #path: string;

  constructor(text: string, path: string) {
    this.#text = text;
    this.#path = path;
  }

  parse(): Matcher[] {
    this.#space();
    const braced = this.#peek() === '{';
    if (braced) this.#at++;
    const matchers: Matcher[] = [];
    for (;;) {
      this.#space();
      if (braced && this.#peek() === '}') break;
      if (!braced && this.#at >= this.#text.length) break;
      matchers.push(this.#matcher());
      this.#space();
      if (this.#peek() === ',') {
        this.#at++;
        continue;
      }
      break;
    }
    if (braced) {
      if (this.#peek() !== '}') this.#fail('expected , or }');
      this.#at++;
    }
    this.#space();
    if (this.#at < this.#text.length) this.#fail(braced ? 'unexpected text after }' : 'expected , between matchers');
    if (matchers.length === 0) this.#fail('expected at least one matcher');
    return matchers;
  }

  #matcher(): Matcher {
    const nameStart = this.#at;
    while (this.#at < this.#text.length && /[A-Za-z0-9_]/.test(this.#text[this.#at]!)) this.#at++;
    const name = this.#text.slice(nameStart, this.#at);
    if (name === '' || /^[0-9]/.test(name)) {
      this.#at = nameStart;
      this.#fail('expected a label name');
    }
    this.#space();
    const operator = this.#operator();
    this.#space();
    const valueStart = this.#at;
    const value = this.#peek() === '"' ? this.#quoted() : this.#bare();
    if ((operator === '=~' || operator === '!~') && !compiles(value)) {
      this.#at = valueStart;
      this.#fail('expected a valid regular expression');
    }
    return { name, operator, value };
  }

  #operator(): MatchOperator {
    const two = this.#text.slice(this.#at, this.#at + 2);
    if (two === '=~' || two === '!~' || two === '!=') {
      this.#at += 2;
      return two;
    }
    if (this.#peek() === '=') {
      this.#at++;
      return '=';
    }
    return this.#fail('expected =, !=, =~ or !~');
  }

  #quoted(): string {
    this.#at++;
    let value = '';
    for (;;) {
      if (this.#at >= this.#text.length) this.#fail('expected a closing "');
      const c = this.#text[this.#at]!;
      if (c === '"') {
        this.#at++;
        return value;
      }
      if (c === '\\') {
        const next = this.#text[this.#at + 1];
        const escaped = next === undefined ? undefined : escapes[next];
        if (escaped === undefined) this.#fail('expected an escape \\" \\\\ \\n \\t or \\r');
        value += escaped;
        this.#at += 2;
        continue;
      }
      value += c;
      this.#at++;
    }
  }

  #bare(): string {
    const start = this.#at;
    while (this.#at < this.#text.length && !/[\s,{}"=!~]/.test(this.#text[this.#at]!)) this.#at++;
    if (this.#at === start) this.#fail('expected a value (quote it: "...")');
    return this.#text.slice(start, this.#at);
  }

  #space(): void {
    while (this.#at < this.#text.length && /\s/.test(this.#text[this.#at]!)) this.#at++;
  }

  #peek(): string | undefined {
    return this.#text[this.#at];
  }

  #fail(problem: string): never {
    return fail({ text: this.#text, at: this.#at, problem, path: this.#path });
  }
}

const escapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

function compiles(value: string): boolean {
  try {
    matcherRegex(value);
    return true;
  } catch {
    return false;
  }
}

/** One matcher in the syntax `parseMatchers` reads: the value always quoted. */
export function printMatcher(matcher: Matcher): string {
  const value = matcher.value.replace(/[\\"\n\t\r]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? c);
  return `${matcher.name}${matcher.operator}"${value}"`;
}

/** A set of matchers as `{a="b", c=~"d"}`. */
export function printMatchers(matchers: readonly Matcher[]): string {
  return `{${matchers.map(printMatcher).join(', ')}}`;
}

/** Whether one matcher holds for a label set; a missing label has the value "". */
export function matches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const value = Object.hasOwn(labels, matcher.name) ? (labels[matcher.name] ?? '') : '';
  switch (matcher.operator) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return matcherRegex(matcher.value).test(value);
    case '!~':
      return !matcherRegex(matcher.value).test(value);
  }
}

/** Whether every matcher holds (true for none). */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => matches(m, labels));
}

/**
 * The labels matchers see for an alert: its own labels, plus `service`, `source` and `severity`
 * where the alert has no label of that name (a sender's own `severity` label wins).
 */
export function alertLabelSet(alert: {
  readonly service: string;
  readonly source: AlertSource;
  readonly severity: AlertSeverity;
  readonly labels: Readonly<Record<string, string>>;
}): Record<string, string> {
  return { service: alert.service, source: alert.source, severity: alert.severity, ...alert.labels };
}

/** True when two states of one alert (same service and source) have the same label set. */
export function sameAlertLabelSet(
  a: { readonly severity: AlertSeverity; readonly labels: Readonly<Record<string, string>> },
  b: { readonly severity: AlertSeverity; readonly labels: Readonly<Record<string, string>> },
): boolean {
  if (a.severity !== b.severity) return false;
  const keys = Object.keys(a.labels);
  return keys.length === Object.keys(b.labels).length && keys.every((k) => Object.hasOwn(b.labels, k) && a.labels[k] === b.labels[k]);
}

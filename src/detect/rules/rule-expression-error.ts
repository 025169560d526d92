/**
 * The one error a rule expression can raise while it is tokenized, parsed or type-checked.
 *
 * Rules are written by people on call, often in a YAML file at 3 a.m.; an error that says
 * "unexpected token" without saying where costs them the incident. So every error carries the
 * 1-based line and column, a caret excerpt of the offending text, and a stable code that tools
 * (the CLI, the rule editor in the console) can branch on without parsing the message.
 */

/**
 * Stable codes, part of the API: add new ones, never rename.
 *
 * - `RULE_SYNTAX`: the text is not an expression (bad token, missing parenthesis, chained comparison).
 * - `RULE_UNKNOWN_FIELD`: a path names a field the transaction does not have.
 * - `RULE_TYPE`: the expression is well formed but compares things that cannot be compared.
 */
export type RuleExpressionErrorCode = 'RULE_SYNTAX' | 'RULE_UNKNOWN_FIELD' | 'RULE_TYPE';

/** Where in the expression text a problem is: offsets are UTF-16 indexes, end exclusive. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

export interface RuleExpressionErrorOptions {
  readonly code: RuleExpressionErrorCode;
  /** What is wrong and what to write instead, without the location (it is added). */
  readonly reason: string;
  readonly source: string;
  readonly span: SourceSpan;
}

/**
 * A problem with an expression, at a place in it. Its own class rather than a VigilError because
 * its codes are the rule language's (the core's ErrorCode has no RULE_* codes); loadRules wraps
 * these into one VigilError for the API.
 */
export class RuleExpressionError extends Error {
  override readonly name = 'RuleExpressionError';
  readonly code: RuleExpressionErrorCode;
  readonly reason: string;
  readonly span: SourceSpan;
  /** 1-based line of the span's start. */
  readonly line: number;
  /** 1-based column of the span's start, counted in characters (code points) of that line. */
  readonly column: number;
  /** The offending line with a caret line under the span, ready to print. */
  readonly excerpt: string;

  constructor(options: RuleExpressionErrorOptions) {
    const where = locate(options.source, options.span);
    super(`${options.code} at ${where.line}:${where.column}: ${options.reason}\n${where.excerpt}`);
    this.code = options.code;
    this.reason = options.reason;
    this.span = options.span;
    this.line = where.line;
    this.column = where.column;
    this.excerpt = where.excerpt;
  }
}

/** True for a RuleExpressionError, optionally of one code. */
export function isRuleExpressionError(error: unknown, code?: RuleExpressionErrorCode): error is RuleExpressionError {
  return error instanceof RuleExpressionError && (code === undefined || error.code === code);
}

/** Longest excerpt line shown; a rule is one line in practice, a pasted blob should not flood a terminal. */
const maxExcerptWidth = 120;

interface Location {
  readonly line: number;
  readonly column: number;
  readonly excerpt: string;
}

function locate(source: string, span: SourceSpan): Location {
  const start = Math.max(0, Math.min(span.start, source.length));
  const lineStart = lineStartOf(source, start);
  const newline = source.indexOf('\n', start);
  const lineEnd = newline === -1 ? source.length : newline;
  const line = countNewlines(source, lineStart) + 1;
  const before = source.slice(lineStart, start);
  const column = codePoints(before) + 1;
  const end = Math.max(start + 1, Math.min(span.end, lineEnd));
  let text = source.slice(lineStart, lineEnd).replace(/\r$/, '');
  // Tabs are kept in the caret line so the caret stays under the column in any tab width.
  let pad = before.replace(/[^\t]/gu, ' ');
  if (codePoints(pad) > maxExcerptWidth / 2) {
    // Keep the caret in view: drop the start of a long line and say so.
    const drop = codePoints(pad) - maxExcerptWidth / 4;
    text = `…${Array.from(text).slice(drop).join('')}`;
    pad = ` ${Array.from(pad).slice(drop).join('')}`;
  }
  const shown = Array.from(text);
  const visible = shown.length > maxExcerptWidth ? `${shown.slice(0, maxExcerptWidth).join('')}…` : text;
  const width = Math.max(1, Math.min(codePoints(source.slice(start, end)), maxExcerptWidth));
  return { line, column, excerpt: `  ${visible}\n  ${pad}${'^'.repeat(width)}` };
}

/** The 1-based line and column (in code points) of a UTF-16 offset into `source`. */
export function sourceLocation(source: string, offset: number): { readonly line: number; readonly column: number } {
  const at = Math.max(0, Math.min(offset, source.length));
  const lineStart = lineStartOf(source, at);
  return { line: countNewlines(source, lineStart) + 1, column: codePoints(source.slice(lineStart, at)) + 1 };
}

/** Where the line holding `offset` starts (`lastIndexOf` with -1 would look at index 0). */
function lineStartOf(source: string, offset: number): number {
  return offset === 0 ? 0 : source.lastIndexOf('\n', offset - 1) + 1;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * Writes a tree back as expression text, with parentheses only where the tree needs them.
 *
 * The output is the canonical spelling of a rule: the console shows it, findings carry it, and
 * two rules that print the same mean the same. `parseExpression(printExpression(t))` gives `t`
 * back (spans aside); the property test holds it to that.
 */
import type { Expression, Operand, PathNode } from './expression-ast.js';

/** The canonical text of `expression`. */
export function printExpression(expression: Expression): string {
  switch (expression.type) {
    case 'or':
      // A nested OR only exists when it was parenthesized; an AND inside an OR needs none.
      return expression.operands.map((operand) => (operand.type === 'or' ? `(${printExpression(operand)})` : printExpression(operand))).join(' OR ');
    case 'and':
      return expression.operands.map((operand) => (operand.type === 'or' || operand.type === 'and' ? `(${printExpression(operand)})` : printExpression(operand))).join(' AND ');
    case 'not': {
      const operand = expression.operand;
      return operand.type === 'or' || operand.type === 'and' ? `NOT (${printExpression(operand)})` : `NOT ${printExpression(operand)}`;
    }
    case 'compare':
      return `${printOperand(expression.left)} ${expression.operator} ${printOperand(expression.right)}`;
    case 'path':
    case 'integer':
    case 'decimal':
    case 'string':
    case 'boolean':
    case 'null':
      return printOperand(expression);
  }
}

function printOperand(operand: Operand): string {
  switch (operand.type) {
    case 'path':
      return printPath(operand);
    case 'integer':
      return operand.value.toString();
    case 'decimal':
      return operand.text;
    case 'string':
      return quote(operand.value);
    case 'boolean':
      return operand.value ? 'true' : 'false';
    case 'null':
      return 'null';
  }
}

/** A path as written: `logs[0].topics[*]`. */
export function printPath(path: PathNode): string {
  let text = '';
  for (const segment of path.segments) {
    if (segment.type === 'field') text += text === '' ? segment.name : `.${segment.name}`;
    else if (segment.type === 'index') text += `[${segment.index}]`;
    else text += '[*]';
  }
  return text;
}

/** Double-quoted with escapes for quotes, backslashes and anything unprintable. */
function quote(value: string): string {
  let text = '"';
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charAt(i);
    const code = value.charCodeAt(i);
    if (c === '"' || c === '\\') text += `\\${c}`;
    else if (c === '\n') text += '\\n';
    else if (c === '\r') text += '\\r';
    else if (c === '\t') text += '\\t';
    // Controls and lone surrogate halves would not survive a YAML file or a terminal.
    else if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff && !isPairAt(value, i))) text += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code >= 0xd800 && code <= 0xdbff) {
      text += value.slice(i, i + 2);
      i += 1;
    } else text += c;
  }
  return `${text}"`;
}

function isPairAt(value: string, i: number): boolean {
  const code = value.charCodeAt(i);
  const next = value.charCodeAt(i + 1);
  return code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
}

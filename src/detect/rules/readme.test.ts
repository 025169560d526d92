import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile-expression.js';
import { loadRules } from './load-rules.js';
import { elementFields, transactionFields, transactionKinds } from './transaction-fields.js';

/** The README is what rule authors read; these tests keep it true to the code. */
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((match) => ({ lang: match[1] ?? '', body: match[2] ?? '' }));
const examples = readme.slice(readme.indexOf('## Examples'), readme.indexOf('## How it works'));

describe('the rules README', () => {
  it('lists every field of every kind and every element', () => {
    for (const kind of transactionKinds) for (const name of Object.keys(transactionFields[kind])) expect(readme).toContain(`| \`${name}\` |`);
    for (const [list, fields] of Object.entries(elementFields)) for (const name of Object.keys(fields)) expect(readme).toContain(`| \`${list}[i].${name}\` |`);
  });

  it('gives examples that all compile', () => {
    const expressions = [...examples.matchAll(/```\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    expect(expressions.length).toBeGreaterThanOrEqual(10);
    for (const expression of expressions) expect(() => compileExpression(expression.trim()), expression).not.toThrow();
  });

  it('opens with a rules file that loads', () => {
    const json = blocks.find((block) => block.lang === 'json');
    expect(loadRules(JSON.parse(json?.body ?? 'null'))).toHaveLength(1);
  });

  it('shows the load error message the loader gives', () => {
    let message = '';
    try {
      loadRules({
        rules: [
          { id: 'a', name: 'A', severity: 'high', type: 'Suspicious', expression: 'asset == "USDC"\n  AND amount > 1.5' },
          { id: 'b', name: 'B', severity: 'urgent', type: 'Suspicious', expression: 'true' },
        ],
      });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(readme).toContain(message);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ndjsonLines, type NdjsonLine } from './ndjson-lines.js';

async function collect(chunks: Array<string | Uint8Array>, maxLineBytes = 1_000): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  async function* source() {
    for (const c of chunks) yield c;
  }
  for await (const line of ndjsonLines(source(), { maxLineBytes })) out.push(line);
  return out;
}

describe('ndjsonLines', () => {
  it('yields each line with its 1-based number, skipping blank lines and a trailing newline', async () => {
    expect(await collect(['{"a":1}\n\n{"b"', ':2}\r\n{"c":3}'])).toEqual([
      { kind: 'line', number: 1, text: '{"a":1}' },
      { kind: 'line', number: 3, text: '{"b":2}' },
      { kind: 'line', number: 4, text: '{"c":3}' },
    ]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('{"n":"é✓"}\n');
    expect(await collect([bytes.slice(0, 7), bytes.slice(7)])).toEqual([{ kind: 'line', number: 1, text: '{"n":"é✓"}' }]);
  });

  it('reports a line longer than the limit and goes on with the next', async () => {
    const lines = await collect([`${'x'.repeat(30)}\n{"ok":1}\n`, 'y'.repeat(40)], 20);
    expect(lines).toEqual([
      { kind: 'too_long', number: 1, bytes: 30 },
      { kind: 'line', number: 2, text: '{"ok":1}' },
      { kind: 'too_long', number: 3, bytes: 40 },
    ]);
  });

  it('gives the same lines however the stream is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme-ascii' }).filter((s) => !s.includes('\n')), { maxLength: 20 }), fc.array(fc.nat(50), { maxLength: 10 }), async (lines, cuts) => {
        const text = lines.join('\n');
        const chunks: string[] = [];
        let at = 0;
        for (const cut of cuts) {
          chunks.push(text.slice(at, at + cut));
          at += cut;
        }
        chunks.push(text.slice(at));
        const whole = await collect([text], 10_000);
        expect(await collect(chunks, 10_000)).toEqual(whole);
      }),
    );
  });
});

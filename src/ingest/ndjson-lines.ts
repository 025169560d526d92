/**
 * Splits a byte stream into NDJSON lines without ever holding more than one line: a stream of a
 * million transactions costs the memory of its longest line, and a line longer than `maxLineBytes`
 * is reported and skipped instead of growing a buffer without end.
 */

export type NdjsonLine =
  | { readonly kind: 'line'; readonly number: number; readonly text: string }
  | { readonly kind: 'too_long'; readonly number: number; readonly bytes: number };

export async function* ndjsonLines(source: AsyncIterable<Uint8Array | string>, options: { maxLineBytes: number }): AsyncGenerator<NdjsonLine> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let pendingBytes = 0;
  let skipping = false;
  let number = 0;
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const piece = newline === -1 ? text.slice(start) : text.slice(start, newline);
      if (!skipping) {
        pending += piece;
        pendingBytes += piece.length;
        if (pendingBytes > options.maxLineBytes) {
          skipping = true;
          pending = '';
        }
      } else {
        pendingBytes += piece.length;
      }
      if (newline === -1) break;
      number += 1;
      const line = finish({ number, text: pending, tooLong: skipping, bytes: pendingBytes });
      if (line !== undefined) yield line;
      pending = '';
      pendingBytes = 0;
      skipping = false;
      start = newline + 1;
    }
  }
  const rest = decoder.decode();
  pending += skipping ? '' : rest;
  pendingBytes += rest.length;
  if (pendingBytes > 0) {
    const line = finish({ number: number + 1, text: pending, tooLong: skipping || pendingBytes > options.maxLineBytes, bytes: pendingBytes });
    if (line !== undefined) yield line;
  }
}

function finish({ number, text, tooLong, bytes }: { number: number; text: string; tooLong: boolean; bytes: number }): NdjsonLine | undefined {
  if (tooLong) return { kind: 'too_long', number, bytes };
  const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
  // Blank lines (a trailing newline, an empty line between records) are not records.
  return trimmed.trim() === '' ? undefined : { kind: 'line', number, text: trimmed };
}

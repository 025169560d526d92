// Writes the benchmark's NDJSON stream and counts its distinct addresses (in this process, so
// the count's own memory never shows in the engine's peak RSS).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { simulateTransactions, toJsonLine } from '../../src/detect/simulate/simulator.js';

const [out, countText, seedText, freshText] = process.argv.slice(2);
if (out === undefined) throw new Error('usage: generate.ts OUT COUNT SEED FRESH');
const count = Number(countText ?? 1_000_000);
const stream = createWriteStream(out);
const addresses = new Set<string>();
let bytes = 0;
let buffer = '';
for (const item of simulateTransactions({ scenario: 'mixed', count, seed: Number(seedText ?? 1), freshShare: Number(freshText ?? 1) })) {
  const { tx } = item;
  if (tx.kind === 'account') {
    addresses.add(tx.from);
    if (tx.to !== null) addresses.add(tx.to);
  } else {
    for (const part of [...tx.inputs, ...tx.outputs]) addresses.add(part.address);
  }
  buffer += `${toJsonLine(item)}\n`;
  if (buffer.length > 1 << 20) {
    bytes += Buffer.byteLength(buffer);
    if (!stream.write(buffer)) await once(stream, 'drain');
    buffer = '';
  }
}
bytes += Buffer.byteLength(buffer);
stream.end(buffer);
await once(stream, 'finish');
process.stdout.write(`${JSON.stringify({ transactions: count, bytes, distinctAddresses: addresses.size })}\n`);

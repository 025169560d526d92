import type { EvidenceKind } from './playbook.js';

const checks: Readonly<Record<EvidenceKind, { test: (v: string) => boolean; expected: string }>> = {
  text: { test: (v) => v.length <= 20_000, expected: 'text of at most 20000 characters' },
  url: {
    test: (v) => {
      try {
        const url = new URL(v);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    },
    expected: 'an http(s) URL',
  },
  tx_hash: {
    // EVM (0x + 32 bytes), Bitcoin-style txid (32 bytes hex), Solana signature (base58, 64 bytes).
    test: (v) => /^0x[0-9a-fA-F]{64}$/.test(v) || /^[0-9a-fA-F]{64}$/.test(v) || /^[1-9A-HJ-NP-Za-km-z]{86,88}$/.test(v),
    expected: 'a transaction hash (0x + 64 hex, 64 hex, or a base58 signature)',
  },
  address: {
    // EVM, Bitcoin base58 and bech32/bech32m, Solana base58 public keys.
    test: (v) => /^0x[0-9a-fA-F]{40}$/.test(v) || /^(bc1|tb1|bcrt1)[02-9ac-hj-np-z]{6,87}$/.test(v.toLowerCase()) || /^[1-9A-HJ-NP-Za-km-z]{25,44}$/.test(v),
    expected: 'an address (EVM 0x + 40 hex, Bitcoin base58 or bech32, Solana base58)',
  },
  number: { test: (v) => /^-?\d+(\.\d+)?$/.test(v) && Number.isFinite(Number(v)), expected: 'a decimal number' },
  // Amounts are integers in base units (wei, satoshi): never a float.
  amount: { test: (v) => /^\d{1,78}$/.test(v), expected: 'an amount in base units (a non-negative integer, e.g. 1500000000000000000)' },
};

/** Undefined when `value` is a valid `kind`; otherwise what was expected. */
export function evidenceProblem(kind: EvidenceKind, value: string): string | undefined {
  const check = checks[kind];
  return value.trim() !== '' && check.test(value) ? undefined : `must be ${check.expected}`;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceBook } from './price-book.js';
import { addr, btc, eth, t0, transfer, usdc, utxo } from './test-builder.js';
import { balanceDeltas, transfersOf } from './transfers.js';

describe('PriceBook', () => {
  const prices = new PriceBook({ ETH: '3150.25', USDC: '1', BTC: '97000' });

  it('values amounts in USD cents exactly from base units and decimals, rounding down to the cent', () => {
    // 1.5 × 3150.25 = 4725.375
    expect(prices.usdCents({ asset: 'ETH', amount: eth('1.5'), decimals: 18 })).toBe(472_537n);
    expect(prices.usdCents({ asset: 'USDC', amount: usdc('9999.99'), decimals: 6 })).toBe(999_999n);
    expect(prices.usdCents({ asset: 'BTC', amount: 1n, decimals: 8 })).toBe(0n);
    expect(prices.usdCents({ asset: 'BTC', amount: btc('0.5'), decimals: 8 })).toBe(4_850_000n);
  });

  it('an asset without a price has no USD value', () => {
    expect(prices.usdCents({ asset: 'PEPE', amount: 10n ** 30n, decimals: 18 })).toBeUndefined();
    expect(prices.has('PEPE')).toBe(false);
  });

  it('symbols match whatever their case', () => {
    expect(prices.usdCents({ asset: 'eth', amount: eth('1'), decimals: 18 })).toBe(315_025n);
  });

  it('a price that is not decimal text is refused, naming the asset', () => {
    expect(() => new PriceBook({ ETH: '3,150' })).toThrow('price of ETH');
  });

  it('a UTXO transaction is worth what left its owner, change excluded', () => {
    const tx = utxo({ inputs: [[addr(1), btc('10')]], outputs: [[addr(2), btc('1')], [addr(1), btc('8.9999')]], at: t0 });
    expect(prices.transactionUsdCents(tx)).toBe(9_700_000n);
    expect(balanceDeltas(tx)).toEqual([
      { address: addr(1), delta: -btc('1.0001') },
      { address: addr(2), delta: btc('1') },
    ]);
  });

  it('a failed transaction moved nothing', () => {
    const tx = transfer({ from: addr(1), to: addr(2), amount: eth('5'), at: t0, status: 'failed' });
    expect(transfersOf(tx)).toEqual([]);
    expect(prices.transactionUsdCents(tx)).toBe(0n);
  });

  it('agrees with exact rational arithmetic for any amount, decimals and cent price', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 10_000_000 }), (amount, decimals, priceCents) => {
        const book = new PriceBook({ X: `${Math.floor(priceCents / 100)}.${String(priceCents % 100).padStart(2, '0')}` });
        expect(book.usdCents({ asset: 'X', amount, decimals })).toBe((amount * BigInt(priceCents)) / 10n ** BigInt(decimals));
      }),
    );
  });
});

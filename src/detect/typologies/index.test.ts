import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { DetectionEngine } from '../detection-engine.js';
import { createTypologyDetectors, typologyConfigSchema } from './index.js';
import { addr, eth, t0, transfer } from './test-builder.js';

describe('createTypologyDetectors', () => {
  it('builds all nine typologies from an empty config', () => {
    expect(createTypologyDetectors().map((d) => d.name)).toEqual([
      'large-transfer',
      'structuring',
      'fan-out-fan-in',
      'pass-through',
      'peel-chain',
      'exposure',
      'address-poisoning',
      'dusting',
      'velocity',
    ]);
  });

  it('the schema fills in every default, so a config file need only say what differs', () => {
    const config = typologyConfigSchema.parse({ structuring: { minCount: 4 } });
    expect(config.structuring).toEqual({ thresholdUsd: '10000', marginPct: 10, windowMs: 86_400_000, minCount: 4, exemptClasses: ['hot', 'exchange'], maxEntities: 100_000, maxEventsPerEntity: 50 });
    expect(config.largeTransfer.rules).toContainEqual({ walletClass: 'hot', thresholdUsd: '250000' });
    expect(config.velocity).toMatchObject({ multiplier: 5, minCount: 10, minVolumeUsd: '25000', alpha: 0.1, warmupHours: 24 });
    expect(config.exposure).toMatchObject({ maxHops: 2, directScope: 'any' });
    expect(config.dust).toEqual({ thresholds: {}, maxUsd: '1' });
    expect(typologyConfigSchema.parse(config)).toEqual(config);
  });

  it('a price written as a float, or a misspelt key, fails at load with the path to it', () => {
    expect(() => createTypologyDetectors({ prices: { ETH: 3150.25 as unknown as string } })).toThrow(ZodError);
    const typo = typologyConfigSchema.safeParse({ fanOutFanIn: { minCounterparty: 5 } });
    expect(typo.success).toBe(false);
    expect(typo.error?.issues[0]?.path).toEqual(['fanOutFanIn']);
    const bad = typologyConfigSchema.safeParse({ prices: { ETH: '1e3' } });
    expect(bad.error?.issues[0]?.path).toEqual(['prices', 'ETH']);
  });

  it('the shared config reaches the detectors: prices, wallet classes and lists', () => {
    const hot = addr('hot');
    const mixer = addr('mixer');
    const detectors = createTypologyDetectors({ prices: { ETH: '3000' }, wallets: { classes: { [hot]: 'hot' } }, lists: { mixers: { [mixer]: 'Tornado' } } });
    const found = [transfer({ from: hot, to: addr(1), amount: eth('100'), at: t0 }), transfer({ from: mixer, to: addr(2), amount: eth('1'), at: t0 + 1 })].flatMap((tx) => detectors.flatMap((d) => d.observe(tx)));
    expect(found.map((f) => f.alertId)).toEqual(['VIGIL-LARGE-TRANSFER', 'VIGIL-MIXER-WITHDRAWAL']);
    expect(found[0]?.stage).toBe('exploitation');
  });

  it('the detectors plug into the detection engine as they are', () => {
    const engine = new DetectionEngine({ detectors: createTypologyDetectors({ prices: { ETH: '3000' } }) });
    const found = engine.observe(transfer({ from: addr(1), to: addr(2), amount: eth('40'), at: t0 }));
    expect(found.map((f) => f.detector)).toEqual(['large-transfer']);
    expect(engine.stats().find((s) => s.name === 'large-transfer')).toMatchObject({ transactions: 1, findings: 1, errors: 0 });
  });
});

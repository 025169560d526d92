import { describe, expect, it } from 'vitest';
import { Workers } from './workers.js';

describe('Workers', () => {
  it('runOnce runs every worker in order and reports a failing one without stopping the rest', async () => {
    const ran: string[] = [];
    const errors: string[] = [];
    const workers = new Workers({ intervalMs: 1000, onError: (name, error) => errors.push(`${name}: ${String(error)}`) });
    workers.add({ name: 'a', run: async () => void ran.push('a') });
    workers.add({ name: 'b', run: () => Promise.reject(new Error('down')) });
    workers.add({ name: 'c', run: async () => void ran.push('c') });
    await workers.runOnce();
    expect(ran).toEqual(['a', 'c']);
    expect(errors).toEqual(['b: Error: down']);
  });

  it('a kick runs a round at once, rounds never overlap, and stop waits for the round in flight', async () => {
    let active = 0;
    let maxActive = 0;
    let rounds = 0;
    let release: () => void = () => undefined;
    const workers = new Workers({ intervalMs: 60_000, onError: () => undefined });
    workers.add({
      name: 'slow',
      run: async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        rounds += 1;
        await new Promise<void>((resolve) => (release = resolve));
        active -= 1;
      },
    });
    workers.start();
    workers.kick();
    await until(() => rounds === 1);
    workers.kick();
    workers.kick();
    release();
    await until(() => rounds === 2);
    expect(maxActive).toBe(1);
    const stopped = workers.stop();
    release();
    await stopped;
    expect(active).toBe(0);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

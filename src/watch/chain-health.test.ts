import { describe, expect, it } from 'vitest';
import { ChainHealth } from './chain-health.js';

const S = 1000;

function health(overrides: Partial<ConstructorParameters<typeof ChainHealth>[0]> = {}) {
  return new ChainHealth({ chain: 'ethereum', stallMs: 60 * S, maxLagBlocks: 5, maxLagMs: undefined, startedAt: 0, ...overrides });
}

describe('chain health', () => {
  it('reports the state at the first look, so a stall that healed while Vigil was down is resolved', () => {
    expect(health().observe({ now: 0, head: 100 }).map((s) => `${s.kind} ${s.status}`)).toEqual(['stall resolved', 'head_lag resolved']);
  });

  it('fires a stall once no new block came for longer than the threshold, and resolves it when one does', () => {
    const h = health();
    h.observe({ now: 0, head: 100 });
    expect(h.observe({ now: 30 * S, head: 100 })).toEqual([]);
    expect(h.observe({ now: 60 * S, head: 100 })).toEqual([]);
    const [stall] = h.observe({ now: 61 * S, head: 100 });
    expect(stall).toMatchObject({ kind: 'stall', status: 'firing', head: 100, stalledMs: 61 * S });
    // Still stalled: nothing new to say.
    expect(h.observe({ now: 90 * S, head: 100 })).toEqual([]);
    expect(h.observe({ now: 91 * S, head: 101 })).toMatchObject([{ kind: 'stall', status: 'resolved', head: 101 }]);
  });

  it('does not count a head that moves backwards as progress', () => {
    const h = health();
    h.observe({ now: 0, head: 100 });
    h.observe({ now: 30 * S, head: 98 });
    expect(h.observe({ now: 61 * S, head: 98 })).toMatchObject([{ kind: 'stall', status: 'firing' }]);
  });

  it('counts an unreachable node as stalled, with its error, and leaves head lag as it was', () => {
    const h = health();
    h.observe({ now: 0, head: 100 });
    expect(h.observe({ now: 30 * S, head: undefined, error: 'connection refused' })).toEqual([]);
    expect(h.observe({ now: 70 * S, head: undefined, error: 'connection refused' })).toMatchObject([
      { kind: 'stall', status: 'firing', head: 100, lastError: 'connection refused' },
    ]);
    expect(h.state().headLag).toBe('resolved');
  });

  it('fires a stall for a node that never answered, counting from the start', () => {
    const h = health({ startedAt: 1000 * S });
    expect(h.observe({ now: 1000 * S, head: undefined, error: 'timeout' })).toMatchObject([{ kind: 'stall', status: 'resolved', head: undefined }]);
    expect(h.observe({ now: 1061 * S, head: undefined, error: 'timeout' })).toMatchObject([{ kind: 'stall', status: 'firing', head: undefined }]);
  });

  it('fires head lag when the node is more blocks behind the reference than allowed, and resolves when it catches up', () => {
    const h = health();
    expect(h.observe({ now: 0, head: 100, referenceHead: 105 }).find((s) => s.kind === 'head_lag')).toMatchObject({ status: 'resolved', blocksBehind: 5 });
    expect(h.observe({ now: S, head: 101, referenceHead: 107 })).toMatchObject([{ kind: 'head_lag', status: 'firing', blocksBehind: 6, referenceHead: 107, head: 101 }]);
    expect(h.observe({ now: 2 * S, head: 104, referenceHead: 108 })).toMatchObject([{ kind: 'head_lag', status: 'resolved', blocksBehind: 4 }]);
  });

  it('fires head lag when the newest block is older than allowed by the clock', () => {
    const h = health({ maxLagMs: 120 * S, stallMs: 3600 * S });
    h.observe({ now: 1000 * S, head: 100, headTimestamp: 990 * S });
    expect(h.observe({ now: 1001 * S, head: 101, headTimestamp: 850 * S })).toMatchObject([{ kind: 'head_lag', status: 'firing', behindMs: 151 * S }]);
  });

  it('ignores the block age when no age threshold is configured', () => {
    const h = health();
    h.observe({ now: 1000 * S, head: 100, headTimestamp: 0 });
    expect(h.state().headLag).toBe('resolved');
  });
});

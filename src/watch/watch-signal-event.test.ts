import { describe, expect, it } from 'vitest';
import { watchSignalEvent } from './watch-signal-event.js';

describe('watch signals as alert events', () => {
  it('gives stall, lag and reorg their own dedup key per chain and one grouping key per chain', () => {
    const stall = watchSignalEvent({ kind: 'stall', status: 'firing', chain: 'base', head: 7, stalledMs: 90_500, lastError: undefined, at: 5 });
    const lag = watchSignalEvent({ kind: 'head_lag', status: 'firing', chain: 'base', head: 7, referenceHead: 20, blocksBehind: 13, behindMs: undefined, at: 5 });
    const reorg = watchSignalEvent({ kind: 'reorg', status: 'firing', chain: 'base', depth: 3, ancestor: 4, height: 5, oldHash: '0xold', newHash: '0xnew', oldTip: 7, at: 5 });
    expect([stall, lag, reorg].map((e) => [e.dedupKey, e.groupKey, e.source, e.action, e.severity])).toEqual([
      ['watcher:base:stall', 'watcher:base', 'watcher', 'trigger', 'error'],
      ['watcher:base:head_lag', 'watcher:base', 'watcher', 'trigger', 'warning'],
      ['watcher:base:reorg', 'watcher:base', 'watcher', 'trigger', 'critical'],
    ]);
    expect(stall.summary).toBe('base: no new block for 91 s (head stuck at 7)');
    expect(lag.summary).toBe('base: node head 7 is lagging (13 blocks behind the reference node)');
    expect(reorg.summary).toBe('base: reorg of depth 3 at height 5 (ancestor 4; 0xold replaced by 0xnew)');
    expect(reorg.annotations).toEqual({ depth: '3', ancestor: '4', height: '5', oldTip: '7', oldHash: '0xold', newHash: '0xnew' });
    expect(stall.raw).toEqual({ kind: 'stall', status: 'firing', chain: 'base', head: 7, stalledMs: 90_500, at: 5 });
    expect(stall.occurredAt).toBe(5);
  });

  it('resolves stall and lag when the node is healthy again, naming the error when the node failed', () => {
    expect(watchSignalEvent({ kind: 'stall', status: 'resolved', chain: 'base', head: 8, stalledMs: 0, lastError: undefined, at: 9 })).toMatchObject({
      action: 'resolve',
      dedupKey: 'watcher:base:stall',
    });
    expect(watchSignalEvent({ kind: 'head_lag', status: 'resolved', chain: 'base', head: 8, referenceHead: 8, blocksBehind: 0, behindMs: undefined, at: 9 }).action).toBe('resolve');
    const failing = watchSignalEvent({ kind: 'stall', status: 'firing', chain: 'base', head: undefined, stalledMs: 120_000, lastError: 'eth_blockNumber on http://127.0.0.1:8545 failed: HTTP request failed.', at: 9 });
    expect(failing.summary).toBe('base: no new block for 120 s (the node has not answered: eth_blockNumber on http://127.0.0.1:8545 failed: HTTP request failed.)');
    expect(failing.annotations.lastError).toContain('HTTP request failed');
  });
});

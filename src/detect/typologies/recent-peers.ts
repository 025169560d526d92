/**
 * The distinct counterparties an address had within a sliding window, most recent last, with
 * the transaction that last linked each: the state behind fan-out, fan-in and dusting.
 *
 * Most addresses in a stream only ever see one counterparty, so that case is three fields on the
 * state object and the lists are made for the second peer: with a million addresses going by,
 * the allocations saved are most of the detector's cost. Lists, not a map: a burst needs only
 * `cap` peers (the count that fires), and a linear scan of twenty strings is cheaper in time and
 * memory than a map per address.
 */
export interface RecentPeers {
  /** The only peer so far, while `list` is undefined. */
  peer: string | undefined;
  at: number;
  hash: string;
  list: { readonly peers: string[]; readonly times: number[]; readonly hashes: string[] } | undefined;
  /** No new finding before this time: one finding per burst, not one per transaction. */
  quietUntil: number;
}

export function emptyPeers(): RecentPeers {
  return { peer: undefined, at: 0, hash: '', list: undefined, quietUntil: Number.NEGATIVE_INFINITY };
}

export interface PeerContact {
  readonly peer: string;
  readonly at: number;
  readonly hash: string;
}

export interface PeerWindow {
  /** A peer last seen more than this long before the current transaction no longer counts. */
  readonly windowMs: number;
  /** Peers kept; the least recent goes first past it. */
  readonly cap: number;
}

/** Records a contact, drops peers outside the window, and returns the distinct peers left. */
export function addPeer(state: RecentPeers, contact: PeerContact, window: PeerWindow): number {
  if (state.list === undefined) {
    if (state.peer === undefined || state.peer === contact.peer || contact.at - state.at > window.windowMs) {
      state.peer = contact.peer;
      state.at = contact.at;
      state.hash = contact.hash;
      return 1;
    }
    state.list = { peers: [state.peer], times: [state.at], hashes: [state.hash] };
    state.peer = undefined;
  }
  const list = state.list;
  const i = list.peers.indexOf(contact.peer);
  if (i >= 0) {
    list.peers.splice(i, 1);
    list.times.splice(i, 1);
    list.hashes.splice(i, 1);
  }
  list.peers.push(contact.peer);
  list.times.push(contact.at);
  list.hashes.push(contact.hash);
  const since = contact.at - window.windowMs;
  while (list.times.length > 0 && ((list.times[0] ?? since) < since || list.times.length > window.cap)) {
    list.peers.shift();
    list.times.shift();
    list.hashes.shift();
  }
  return list.peers.length;
}

/** Forgets a peer, as when a contact turns out to be a real relationship. */
export function removePeer(state: RecentPeers, peer: string): void {
  if (state.list === undefined) {
    if (state.peer === peer) state.peer = undefined;
    return;
  }
  const i = state.list.peers.indexOf(peer);
  if (i < 0) return;
  state.list.peers.splice(i, 1);
  state.list.times.splice(i, 1);
  state.list.hashes.splice(i, 1);
}

/** The peers, oldest contact first. */
export function peersOf(state: RecentPeers): readonly string[] {
  return state.list?.peers ?? (state.peer === undefined ? [] : [state.peer]);
}

/** The transactions that last linked each peer, in the same order. */
export function hashesOf(state: RecentPeers): readonly string[] {
  return state.list?.hashes ?? (state.peer === undefined ? [] : [state.hash]);
}

/**
 * Where a chain watcher stands, kept so that a restart resumes there: the last block whose
 * transactions the detectors have taken in (their findings committed), and the hashes of the
 * blocks before it that reorg detection compares with the node's.
 */
export interface WatcherProgress {
  /** The chain's name in the watch config. */
  readonly chain: string;
  readonly processed: number;
  /** Ascending by number; the last is `processed`'s own. */
  readonly hashes: readonly { readonly number: number; readonly hash: string }[];
}

import type { Ids } from '../core/ids.js';

/** What every ingest mapper may need besides the payload: the receive time and an id source. */
export interface IngestContext {
  /** When Vigil received the payload (ms, UTC); used when the sender gives no time. */
  readonly receivedAt: number;
  readonly ids: Ids;
}

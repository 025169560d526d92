/**
 * The detection thread's entry (see `DetectionThread`): builds the detectors from the detect
 * config it is given and runs each batch it receives through them, answering with the findings.
 * Everything the detectors remember lives in this thread's heap.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDetectors } from '../detect-config.js';
import { DetectionEngine } from '../detection-engine.js';
import type { DetectionReply, DetectionRequest, DetectionWorkerData } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('detection-worker runs as a worker thread');
const engine = new DetectionEngine({ detectors: detectorsOf((workerData as DetectionWorkerData).config) });

port.on('message', (request: DetectionRequest) => {
  try {
    const origins: string[] = [];
    const findings = engine.observeAll(request.transactions, origins);
    const reply: DetectionReply = { id: request.id, findings, origins, stats: engine.stats() };
    // Inside the try: findings that cannot be copied back fail this batch, not the thread and its state.
    port.postMessage(reply);
  } catch (error) {
    const reply: DetectionReply = { id: request.id, error: error instanceof Error ? error.message : String(error), stats: engine.stats() };
    port.postMessage(reply);
  }
});
const ready: DetectionReply = { ready: true };
port.postMessage(ready);

/**
 * The detectors of `config`. An error is thrown again as a plain `Error` with its message read
 * here: the error that reaches the starting thread is a copy, and a copy keeps only own
 * properties, which a `ZodError`'s message is not.
 */
function detectorsOf(config: unknown): ReturnType<typeof createDetectors> {
  try {
    return createDetectors(config);
  } catch (error) {
    throw new Error(`the detect config cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
}

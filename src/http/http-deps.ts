import type { Vigil } from '../app.js';
import type { Authenticator } from './auth.js';
import type { Metrics } from './metrics.js';

/** What the routes are built from. */
export interface HttpDeps {
  readonly vigil: Vigil;
  readonly auth: Authenticator;
  readonly metrics: Metrics;
}

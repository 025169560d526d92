import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createVigil, loadWatchConfig, type Vigil, type VigilOverrides } from './app.js';
import type { VigilConfig } from './config.js';
import { systemActor } from './core/actor.js';
import { buildHttpApp, redactUrl } from './http/app.js';

export interface RunningServer {
  readonly vigil: Vigil;
  readonly app: FastifyInstance;
  /** The address it listens on, such as `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The admin token created because the store had none; shown once, never stored in clear. */
  readonly firstAdminToken: string | undefined;
  /** Stops taking requests, finishes the ones in flight, commits, closes the store. */
  close(): Promise<void>;
}

/** pino options: structured JSON logs that never carry a credential. */
export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    serializers: {
      req(request: FastifyRequest) {
        return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
      },
    },
  };
}

/** Opens the store, makes sure someone can log in, and starts the HTTP API. */
export async function startServer(
  config: VigilConfig,
  options: { logger?: boolean; overrides?: VigilOverrides } = {},
): Promise<RunningServer> {
  // A bad watch config stops the start here, before anything listens.
  const watchConfig = config.watchConfigPath === undefined ? undefined : await loadWatchConfig(config.watchConfigPath);
  const vigil = await createVigil(config, options.overrides);
  let firstAdminToken: string | undefined;
  try {
    if ((await vigil.store.read.countApiTokens()) === 0) {
      firstAdminToken = (await vigil.createApiToken({ role: 'admin', name: 'first admin', actor: systemActor })).secret;
    }
    await vigil.refreshInhibitionIndex();
    const app = await buildHttpApp({ vigil, logger: options.logger === false ? false : loggerOptions(config.logLevel) });
    const address = await app.listen({ host: config.host, port: config.port });
    vigil.workers.start();
    // Closing Vigil stops the watchers first, so their last findings are committed.
    if (watchConfig !== undefined) await vigil.watch(watchConfig);
    let closing: Promise<void> | undefined;
    return {
      vigil,
      app,
      url: address,
      firstAdminToken,
      close: () => {
        closing ??= (async () => {
          await app.close();
          await vigil.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await vigil.close();
    throw error;
  }
}

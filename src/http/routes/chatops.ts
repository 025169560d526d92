import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../../core/errors.js';
import { ReplayGuard, verifySlackSignature } from '../../respond/chatops/slack-signature.js';
import type { HttpDeps } from '../http-deps.js';

const slashCommand = z.looseObject({
  token: z.string().optional().describe('Deprecated verification token; ignored (the signature is checked instead)'),
  team_id: z.string().min(1).max(64),
  team_domain: z.string().optional(),
  channel_id: z.string().max(64).optional(),
  channel_name: z.string().optional(),
  user_id: z.string().min(1).max(64),
  user_name: z.string().min(1).max(200),
  command: z.string().max(64).default('/vigil'),
  text: z.string().max(4_000).default(''),
  response_url: z.string().max(2_000).optional(),
  trigger_id: z.string().max(200).optional(),
});

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * `POST /api/v1/chatops/slack`: the request URL of a Slack slash command. Slack signs the raw
 * form body with the app's signing secret; the signature is checked before anything else, so the
 * body is parsed here as text and kept as Slack sent it.
 */
export async function chatopsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  const { vigil } = deps;
  const rawBodies = new WeakMap<FastifyRequest, string>();
  const replays = new ReplayGuard();

  await app.register((scope, _options, registered) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
      const text = String(body);
      rawBodies.set(request, text);
      done(null, Object.fromEntries(new URLSearchParams(text)));
    });

    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/chatops/slack',
      {
        schema: {
          summary: 'Slack slash command (`/vigil ack INC-12`); form-encoded as Slack sends it, signed with X-Slack-Signature',
          tags: ['chat-ops'],
          consumes: ['application/x-www-form-urlencoded'],
          headers: z.looseObject({ 'x-slack-signature': z.string().optional(), 'x-slack-request-timestamp': z.string().optional() }),
          body: slashCommand,
        },
        preValidation: (request, _reply, next) => {
          try {
            verify(request);
            next();
          } catch (error) {
            next(error as Error);
          }
        },
      },
      async (request) => {
        const answer = await vigil.chatops.handle(request.body);
        // An ack or resolve from Slack reaches the team channels now, not at the next round.
        vigil.workers.kick();
        return answer;
      },
    );
    registered();
  });

  /** Throws UNAUTHENTICATED unless the request is Slack's, signed now and not seen before. */
  function verify(request: FastifyRequest): void {
    const secret = vigil.config.slackSigningSecret;
    if (secret === undefined) throw new VigilError('NOT_FOUND', 'chat-ops is off on this server: set VIGIL_SLACK_SIGNING_SECRET to the Slack app signing secret');
    const rawBody = rawBodies.get(request);
    if (rawBody === undefined) throw new VigilError('UNSUPPORTED_MEDIA_TYPE', 'send application/x-www-form-urlencoded, as Slack does');
    const signature = header(request, 'x-slack-signature');
    const now = vigil.clock.now();
    verifySlackSignature({ secret, timestamp: header(request, 'x-slack-request-timestamp'), signature, rawBody, now });
    replays.check(signature!, now);
  }
}

/**
 * The HTTP floor: a Fastify server (Vigil's HTTP framework) that parses the Alertmanager webhook
 * body and answers 200, nothing else. Driven like Vigil, it shows what this machine's HTTP,
 * loopback and JSON parsing cost before any of Vigil's work, so Vigil's figures can be read as
 * "the floor plus what Vigil does".
 *
 *   node --import tsx bench/ingest/floor-server.ts   (prints "listening on http://127.0.0.1:PORT")
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1 << 20 });
app.post('/api/v1/integrations/alertmanager', async (request, reply) => {
  const body = request.body as { alerts?: unknown } | null;
  if (body === null || typeof body !== 'object' || !Array.isArray(body.alerts)) return reply.code(400).send({ error: 'no alerts' });
  return { status: 'success', alerts: body.alerts.length };
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${address}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));

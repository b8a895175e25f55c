import restify, { type Server } from 'restify';
import type { Logger } from '../logger.js';

export interface HttpDeps {
  /** Handles one Bot Framework request (the Teams adapter). */
  handleMessages: (req: restify.Request, res: restify.Response) => Promise<void>;
  health: () => Record<string, unknown>;
  maxBodyBytes: number;
  logger: Logger;
}

/** The HTTP surface: POST /api/messages for the Bot Framework, GET /healthz for operators. */
export function createHttpServer(deps: HttpDeps): Server {
  const server = restify.createServer({ name: 'medborgarlofte-bot', handleUncaughtExceptions: false });
  // restify parses before auth and has no size limit by default.
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      res.send(400, { error: 'expected a JSON activity' });
      return;
    }
    try {
      await deps.handleMessages(req, res);
    } catch (err) {
      deps.logger.error({ err: { message: (err as Error).message } }, 'request failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, deps.health());
  });

  return server;
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

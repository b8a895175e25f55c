import { isUtf8 } from 'node:buffer';
import restify, { type Server } from 'restify';
import type { Logger } from '../logger.js';
import { normalizeActivity } from './activity-shape.js';

export interface HttpDeps {
  /** Handles one Bot Framework request (the Teams adapter). */
  handleMessages: (req: restify.Request, res: restify.Response) => Promise<void>;
  /** What /healthz shows: status and version only with authentication on (it is not authenticated itself). */
  health: () => Record<string, unknown>;
  maxBodyBytes: number;
  logger: Logger;
  /** Further GET routes on the same server (signed download links: src/http/downloads.ts). */
  extraRoutes?: (server: Server) => void;
}

const isJsonType = (type: string) => type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);

/**
 * What must hold before a body is handed to the adapter: a JSON object with a `type`, and the
 * `serviceUrl` and `conversation.id` every channel activity carries (replies go there; without them
 * botbuilder throws and the caller would get a 500). Returns the problem, or undefined.
 */
export function activityShapeProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'expected a JSON activity (an object)';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || a.type.trim() === '') return 'expected an activity with a type';
  if (typeof a.serviceUrl !== 'string' || a.serviceUrl.trim() === '') return 'expected an activity with a serviceUrl';
  const conversation = a.conversation as Record<string, unknown> | null | undefined;
  if (
    !conversation ||
    typeof conversation !== 'object' ||
    typeof conversation.id !== 'string' ||
    conversation.id === ''
  ) {
    return 'expected an activity with a conversation id';
  }
  // Every other well-known field of the right type (null removed), so no turn throws on one.
  return normalizeActivity(a);
}

/** The HTTP surface: POST /api/messages for the Bot Framework, GET /healthz for operators. */
export function createHttpServer(deps: HttpDeps): Server {
  const server = restify.createServer({
    name: 'medborgarlofte-bot',
    handleUncaughtExceptions: false,
    // A signed download link carries what it names in one path segment (src/http/downloads.ts):
    // find-my-way's default of 100 characters answered 404 to a follow-up document's link.
    maxParamLength: 1024,
  } as restify.ServerOptions);

  // Checked before a byte of the body is read: only identity-encoded JSON (a gzip body would be
  // inflated past the size limit, which restify counts on the compressed bytes), and a declared
  // length over the limit is refused at once.
  const preflight: restify.RequestHandler = (req, res, next) => {
    const type = (req.contentType() || '').toLowerCase();
    if (!isJsonType(type)) {
      res.send(415, { error: 'expected Content-Type: application/json' });
      return next(false);
    }
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      res.send(415, { error: 'compressed bodies are not accepted' });
      return next(false);
    }
    // restify's body reader decodes an application/json body as UTF-8 lossily (a bad byte becomes
    // U+FFFD, silently): make it keep the bytes, so utf8Only can refuse what is not UTF-8.
    (req as unknown as { contentType: () => string }).contentType = () => 'application/x-json-bytes';
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > deps.maxBodyBytes) {
      res.header('connection', 'close');
      res.send(413, { error: `body over ${deps.maxBodyBytes} bytes` });
      return next(false);
    }
    return next();
  };
  // JSON only (restify's full bodyParser also takes multipart uploads, written to disk with no
  // size limit). restify parses before auth: the limit bounds what an anonymous caller can send.
  // Too large → 413, malformed JSON → 400 (restify-errors bodies).
  // (restify passes the options to its body reader; @types/restify omits maxBodySize here.)
  const jsonBody = restify.plugins.jsonBodyParser({
    maxBodySize: deps.maxBodyBytes,
    mapParams: false,
  } as restify.plugins.JsonBodyParserOptions);

  const [readBody, parseJson] = jsonBody as [restify.RequestHandler, restify.RequestHandler];
  const utf8Only: restify.RequestHandler = (req, res, next) => {
    if (Buffer.isBuffer(req.body)) {
      if (!isUtf8(req.body)) {
        res.send(400, { error: 'the body is not valid UTF-8' });
        return next(false);
      }
      req.body = req.body.toString('utf8');
    }
    return next();
  };

  server.post(
    '/api/messages',
    preflight,
    readBody,
    utf8Only,
    parseJson,
    async (req: restify.Request, res: restify.Response) => {
      const problem = activityShapeProblem(req.body);
      if (problem) {
        res.send(400, { error: problem });
        return;
      }
      try {
        await deps.handleMessages(req, res);
      } catch (err) {
        deps.logger.error({ err: { message: (err as Error).message } }, 'request failed');
        if (!res.headersSent) res.send(500, { error: 'internal error' });
      }
    },
  );

  server.get('/healthz', async (_req, res) => {
    res.send(200, deps.health());
  });
  deps.extraRoutes?.(server);

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

// The BARE stack the benchmark compares the bot with: the same teams-ai Application and
// TeamsAdapter (local development mode, no credentials) behind restify 11 with the same JSON body
// parser setup as src/http/server.ts, and nothing of ours. It echoes a message as text and answers
// every Action.Execute with a one-line card. Started by scripts/bench.ts as a child process with
// the same node flags as the bot; PORT=0 picks a free port, which it logs the way the bot does:
//   {"msg":"listening on http://127.0.0.1:<port>/api/messages","port":<port>}
import { ActivityTypes, ConfigurationServiceClientCredentialFactory, MemoryStorage } from 'botbuilder';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import restify from 'restify';

const port = Number(process.env.PORT ?? 0);
const maxBodyBytes = Number(process.env.MAX_BODY_BYTES ?? 262144);

const adapter = new TeamsAdapter({}, new ConfigurationServiceClientCredentialFactory({}));
const app = new Application({
  adapter,
  storage: new MemoryStorage(),
  removeRecipientMention: true,
  startTypingTimer: false,
});

app.activity(ActivityTypes.Message, async (context) => {
  await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
});
app.adaptiveCards.actionExecute(/.*/, async () => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [{ type: 'TextBlock', text: 'ok', wrap: true }],
}));

const server = restify.createServer({ name: 'bare-bot', handleUncaughtExceptions: false });
// The same checks before the body is read and the same parser as src/http/server.ts.
server.post(
  '/api/messages',
  (req, res, next) => {
    const type = (req.contentType() || '').toLowerCase();
    if (type !== 'application/json') {
      res.send(415, { error: 'expected Content-Type: application/json' });
      return next(false);
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      res.send(413, { error: 'too large' });
      return next(false);
    }
    return next();
  },
  ...restify.plugins.jsonBodyParser({
    maxBodySize: maxBodyBytes,
    mapParams: false,
  } as restify.plugins.JsonBodyParserOptions),
  async (req, res) => {
    try {
      await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
    } catch {
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  },
);

server.listen(port, '127.0.0.1', () => {
  const actual = server.address().port;
  console.log(JSON.stringify({ level: 30, msg: `listening on http://127.0.0.1:${actual}/api/messages`, port: actual }));
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

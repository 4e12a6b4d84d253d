import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';

/**
 * The reference for `npm run bench`: the least a bot on the same stack does (restify with its body
 * parser, botbuilder's CloudAdapter without authentication, one reply per message). What the
 * support bot costs beyond this is its own.
 */
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`echo: ${context.activity.text}`);
  await next();
});

const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ mapParams: false }));
server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
  res.send(200, { status: 'ok' });
});
server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(Number(process.env.PORT), '127.0.0.1');

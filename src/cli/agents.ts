import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.js';
import { AppError, ConfigError } from '../errors.js';
import { AgentAccounts, agentName, type AgentLink } from '../storage/agentAccounts.js';
import { openStorage } from '../storage/openStorage.js';

const USAGE = `Agent accounts of the console, in the store the server uses (STORAGE, DATA_DIR or BLOB_*).

  npm run agents -- add <name> [--email <address>] [--subject <id>]
      creates an agent and prints their token once, alone on the last line
  npm run agents -- list
      names, when added, last seen and sign-in link (never tokens)
  npm run agents -- remove <name>
      their token and console sessions stop working at once, on every instance
  npm run agents -- rotate <name>
      prints a new token; the previous one stops working
  npm run agents -- link <name> [--email <address>] [--subject <id>]
      lets them sign in with Microsoft (Entra ID): the address they sign in with, or their object id`;

const COMMANDS = ['add', 'list', 'remove', 'rotate', 'link'];

/** Wrong usage: exit 2 with the usage text, as command-line tools do. */
class UsageError extends Error {}

async function run(argv: readonly string[], config: Config): Promise<void> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { email: { type: 'string' }, subject: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, name, ...extra] = positionals;
  if (values.help || command === undefined) throw new UsageError('');
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  const takesLink = command === 'add' || command === 'link';
  if (extra.length > 0) throw new UsageError(`unexpected ${JSON.stringify(extra.join(' '))} (a name with spaces needs quotes)`);
  if (!takesLink && (values.email !== undefined || values.subject !== undefined)) throw new UsageError(`${command} takes no --email or --subject`);
  if (command !== 'list' && name === undefined) throw new UsageError(`${command} needs a name`);
  if (command === 'list' && name !== undefined) throw new UsageError('list takes no name');
  const link: AgentLink = { ...(values.email !== undefined ? { email: values.email } : {}), ...(values.subject !== undefined ? { subject: values.subject } : {}) };
  if (command === 'link' && Object.keys(link).length === 0) throw new UsageError('link needs --email or --subject');

  if (config.STORAGE === 'memory') {
    throw new ConfigError('Invalid configuration:\nSTORAGE="memory": agent accounts must be in a store the server shares (file or blob); in memory they would vanish with this command');
  }
  const fromEnvironment = (candidate: string) => config.AGENT_TOKENS.find((agent) => agent.name.toLowerCase() === candidate.toLowerCase());
  const storage = await openStorage(config);
  try {
    const accounts = new AgentAccounts(storage.agents, { sessionMs: config.AGENT_SESSION_HOURS * 3600 * 1000 });
    switch (command) {
      case 'add': {
        const shown = agentName(name ?? '');
        if (fromEnvironment(shown)) throw new AppError('ERR_AGENT_EXISTS', `${shown} is already an agent in AGENT_TOKENS; pick another name or remove it there first`);
        const { account, token } = await accounts.add(shown, link);
        console.log(`Added agent ${account.name}${signInOf(account)}.`);
        console.log(`Their console token (shown only now; \`npm run agents -- rotate ${quoted(account.name)}\` makes a new one):`);
        console.log(token);
        return;
      }
      case 'list': {
        const listed = await accounts.list();
        if (listed.length === 0) console.log('No agent accounts yet: npm run agents -- add <name>');
        for (const account of listed) {
          const seen = account.lastSeenAt ? `last seen ${account.lastSeenAt.slice(0, 16).replace('T', ' ')}` : 'never seen';
          console.log(`${account.name}\tadded ${account.createdAt.slice(0, 10)}\t${seen}\t${account.sessions} session(s)${signInOf(account)}`);
        }
        if (config.AGENT_TOKENS.length > 0) console.log(`Also from AGENT_TOKENS in this environment: ${config.AGENT_TOKENS.map((agent) => agent.name).join(', ')}`);
        return;
      }
      case 'remove': {
        const shown = agentName(name ?? '');
        const configured = fromEnvironment(shown);
        if (configured) throw new AppError('ERR_AGENT_UNKNOWN', `${configured.name} comes from AGENT_TOKENS: remove it there and restart the server`);
        const removed = await accounts.remove(shown);
        console.log(`Removed agent ${removed.name}: their token and sessions no longer work.`);
        return;
      }
      case 'rotate': {
        const { account, token } = await accounts.rotate(name ?? '');
        console.log(`New console token for ${account.name} (the previous one no longer works; shown only now):`);
        console.log(token);
        return;
      }
      case 'link': {
        const account = await accounts.link(name ?? '', link);
        console.log(`${account.name} can now sign in with Microsoft as ${waysOf(account)}.`);
        return;
      }
    }
  } finally {
    await storage.close();
  }
}

const quoted = (name: string): string => (name.includes(' ') ? `"${name}"` : name);
const waysOf = (account: AgentLink): string => [account.email, account.subject ? `id ${account.subject}` : undefined].filter(Boolean).join(', ');
const signInOf = (account: AgentLink): string => (waysOf(account) ? ` (sign-in: ${waysOf(account)})` : '');

try {
  await run(process.argv.slice(2), loadConfig());
} catch (error) {
  if (error instanceof UsageError) {
    if (error.message) console.error(`agents: ${error.message}\n`);
    console.error(USAGE);
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    console.error(`agents: ${error.message} [${error.code}]`);
    process.exitCode = 1;
  } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`agents: ${error.message}\n`);
    console.error(USAGE);
    process.exitCode = 2;
  } else {
    throw error;
  }
}

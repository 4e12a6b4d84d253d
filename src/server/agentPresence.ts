import type { Logger } from 'pino';
import type { Server } from 'restify';
import { z } from 'zod';
import { AppError, firstIssueOf } from '../errors.js';
import { asAgent, type AgentDirectory, type AgentHandler } from './agentAuth.js';
import { consoleFiles } from './consoleFiles.js';
import { jsonRoute } from './errors.js';

/** Agents' presence, as the console drives it (src/handoff/presence.ts implements it). */
export interface PresencePort {
  beat(agent: string, status: 'available' | 'away' | 'offline'): Promise<void>;
  online(): Promise<readonly { readonly name: string; readonly status: string; readonly lastSeenAt: string }[]>;
}

export interface AgentPresenceOptions {
  /** Whoever presents a token acts as its owner: an agent can only mark themselves online. */
  readonly agents: AgentDirectory;
  readonly presence: PresencePort;
  readonly logger: Logger;
}


// 'offline' is the console closing: the bot stops promising that agent at once, not a minute later.
const heartbeatBody = z.object({ status: z.enum(['available', 'away', 'offline']).default('available') }).strict();

/**
 * Who is online: POST /api/agent/presence is the console's heartbeat (every ~20 s while open), GET
 * /api/agent/online lists the agents heard from recently. Mounted with the console, behind the
 * same tokens; the console page loads /agent/presence.js, which sends the heartbeats on the clock
 * of /agent/presence-worker.js.
 */
export function mountAgentPresence(server: Server, options: AgentPresenceOptions): void {
  const route = jsonRoute(options.logger);
  const agentRoute = (handler: AgentHandler) => route(asAgent(options.agents, handler));
  // The page's script, and the worker that keeps its heartbeat on time in a background tab.
  const serve = consoleFiles(server, options.logger);
  serve('/agent/presence.js', 'presence.js');
  serve('/agent/presence-worker.js', 'presence-worker.js');
  server.post(
    '/api/agent/presence',
    agentRoute(async (req, res, agent) => {
      const parsed = heartbeatBody.safeParse(req.body ?? {});
      if (!parsed.success) throw new AppError('ERR_REQUEST_INVALID', firstIssueOf(parsed.error, 'invalid body'));
      await options.presence.beat(agent, parsed.data.status);
      res.send(200, { name: agent, status: parsed.data.status });
    }),
  );
  server.get('/api/agent/online', agentRoute(async (_req, res) => void res.send(200, { agents: await options.presence.online() })));
}

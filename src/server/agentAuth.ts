import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import { AppError } from '../errors.js';
import { bearerToken } from '../text.js';

/** Who holds a presented bearer token: an agent's name, or undefined for anyone else. */
export interface AgentDirectory {
  identify(token: string): Promise<string | undefined>;
}

/** A route handler that runs as the agent whose token came with the request. */
export type AgentHandler = (req: Request, res: Response, agent: string) => Promise<void>;

/** Agents named with their tokens in the configuration (AGENT_TOKENS); only the digests are kept. */
export function configuredAgents(agents: readonly { readonly name: string; readonly token: string }[]): AgentDirectory {
  const digests = agents.map((agent) => ({ name: agent.name, digest: digest(agent.token) }));
  return {
    async identify(token) {
      const given = digest(token);
      let owner: string | undefined;
      // Compares against every digest, so the time taken says nothing about which one was close.
      for (const agent of digests) if (timingSafeEqual(given, agent.digest)) owner = agent.name;
      return owner;
    },
  };
}

/**
 * The agents the console knows: those of AGENT_TOKENS first, then the accounts in the store. A
 * token is asked of the next directory only when the one before knows it not, so a store that is
 * failing never locks out the agents configured in the environment. A name in both is one agent
 * reachable by either token (`npm run agents -- add` refuses a name AGENT_TOKENS has).
 */
export function agentDirectories(...directories: readonly AgentDirectory[]): AgentDirectory {
  return {
    async identify(token) {
      for (const directory of directories) {
        const agent = await directory.identify(token);
        if (agent) return agent;
      }
      return undefined;
    },
  };
}

/**
 * Wraps an agent route: the acting agent is the token's owner, whatever a body or a query says, and
 * a request without a valid token is refused with 401 and a Bearer challenge.
 */
export function asAgent(directory: AgentDirectory, handler: AgentHandler) {
  return async (req: Request, res: Response): Promise<void> => {
    const presented = bearerToken(req.headers.authorization);
    const agent = presented ? await directory.identify(presented) : undefined;
    if (!agent) {
      res.header('WWW-Authenticate', 'Bearer');
      throw new AppError('ERR_AGENT_UNAUTHORIZED', 'a valid agent token is required');
    }
    await handler(req, res, agent);
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

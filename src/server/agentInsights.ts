import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import { z } from 'zod';
import { AppError, firstIssueOf } from '../errors.js';
import { asAgent, type AgentDirectory, type AgentHandler } from './agentAuth.js';
import { consoleFiles } from './consoleFiles.js';
import { jsonRoute } from './errors.js';

/** Insights and the unanswered inbox, as the console drives them (src/insights/service.ts implements it). */
interface InsightsDesk {
  insights(since?: string): Promise<unknown>;
  inbox(): Promise<unknown>;
  dismiss(id: string, agent: string): Promise<void>;
  assign(id: string, topic: string, agent: string): Promise<unknown>;
}

export interface AgentInsightsOptions {
  readonly agents: AgentDirectory;
  readonly desk: InsightsDesk;
  /** Topics an inbox group can be assigned to. */
  readonly topics: readonly { readonly id: string; readonly title: string }[];
  readonly logger: Logger;
}

/**
 * Chart.js's own UMD build, served from node_modules so the Insights page draws offline (no CDN)
 * under the console's script-src 'self'. Its package exports do not list the file, so it is found
 * beside the package's main module.
 */
const CHART_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

const assignBody = z.object({ topic: z.string().min(1).max(200) });
/** A day (2026-03-01) or a moment (2026-03-01T10:00:00Z). */
const sinceQuery = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'since must be a date, e.g. 2026-03-01')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'since must be a real date')
  .transform((value) => new Date(value).toISOString());

/**
 * The Insights page (/agent/insights) and the unanswered inbox (/agent/inbox) with their JSON API
 * under /api/agent/, behind the agents' tokens like the rest of the console.
 */
export function mountAgentInsights(server: Server, options: AgentInsightsOptions): void {
  const { desk, topics } = options;
  const route = jsonRoute(options.logger);
  const agentRoute = (handler: AgentHandler) => route(asAgent(options.agents, handler));
  const serve = consoleFiles(server, options.logger);
  serve('/agent/insights', 'insights.html');
  serve('/agent/insights.js', 'insights.js');
  serve('/agent/insights.css', 'insights.css');
  serve('/agent/inbox', 'inbox.html');
  serve('/agent/inbox.js', 'inbox.js');
  serve('/agent/inbox.css', 'inbox.css');
  serve('/agent/chart.js', CHART_JS);

  server.get(
    '/api/agent/insights',
    agentRoute(async (req, res) => {
      // restify parses no query string here (no queryParser plugin): read it from the URL.
      const given = new URL(req.url ?? '/', 'http://localhost').searchParams.get('since');
      const since = given === null ? undefined : parse(sinceQuery, given);
      res.send(200, await desk.insights(since));
    }),
  );
  server.get('/api/agent/inbox', agentRoute(async (_req, res) => void res.send(200, { ...((await desk.inbox()) as object), topics })));
  server.post(
    '/api/agent/inbox/:id/dismiss',
    agentRoute(async (req, res, agent) => {
      await desk.dismiss(String(req.params.id), agent);
      res.send(200, { status: 'dismissed' });
    }),
  );
  server.post(
    '/api/agent/inbox/:id/assign',
    agentRoute(async (req, res, agent) => {
      const { topic } = parse(assignBody, req.body);
      res.send(200, await desk.assign(String(req.params.id), topic, agent));
    }),
  );
}

function parse<T>(schema: z.ZodType<T, unknown>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new AppError('ERR_REQUEST_INVALID', firstIssueOf(parsed.error, 'invalid request'));
}

import { rmSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastLine, runAgentsCli } from '../support/agentsCli.js';
import { startAzurite, startBotProcess, tempDir, type Azurite, type BotProcess } from '../support/processes.js';

/** Two bot processes on one Azurite store, as two instances of a scaled-out deployment, and the CLI beside them. */
let azurite: Azurite;
let instances: BotProcess[] = [];
let cwd: string;
let env: Record<string, string>;

/** A bound, not a speed target: each CLI run and bot process compiles src/ through tsx on a loaded machine. */
const PROCESS_FLOW_TIMEOUT = { timeout: 120_000 };

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  cwd = tempDir('agents-blob-');
  azurite = await startAzurite();
  env = { STORAGE: 'blob', BLOB_CONNECTION_STRING: azurite.connectionString, BLOB_CONTAINER: 'accounts-state', BLOB_TRANSCRIPT_CONTAINER: 'accounts-transcripts' };
  instances = await Promise.all([startBotProcess(env), startBotProcess(env)]);
});
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await azurite?.stop();
  rmSync(cwd, { recursive: true, force: true });
  nock.enableNetConnect();
});

const statusOn = async (instance: BotProcess, token: string): Promise<number> =>
  (await fetch(`${instance.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('agent accounts on a blob store shared by two instances', PROCESS_FLOW_TIMEOUT, () => {
  it('accepts an agent added to the store on both instances, and refuses them on both once removed', async () => {
    const added = await runAgentsCli(cwd, env, 'add', 'Dana');
    expect(added.code).toBe(0);
    const token = lastLine(added.stdout);
    expect(await Promise.all(instances.map((instance) => statusOn(instance, token)))).toEqual([200, 200]);
    const me = await fetch(`${instances[1]!.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ name: 'Dana' });

    expect((await runAgentsCli(cwd, env, 'remove', 'Dana')).code).toBe(0);
    expect(await Promise.all(instances.map((instance) => statusOn(instance, token)))).toEqual([401, 401]);
  });

  it('refuses the same name added twice against the shared store', async () => {
    expect((await runAgentsCli(cwd, env, 'add', 'Lee')).code).toBe(0);
    const again = await runAgentsCli(cwd, env, 'add', 'LEE');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists \[ERR_AGENT_EXISTS\]/);
  });
});

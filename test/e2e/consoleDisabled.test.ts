import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../support/botServer.js';

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot.close();
});

describe('without AGENT_TOKEN', () => {
  it('has no agent console at all, whatever token is presented', async () => {
    for (const path of ['/agent', '/agent/console.js', '/api/agent/queue']) {
      const response = await fetch(`${bot.url}${path}`, { headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(response.status, path).toBe(404);
    }
  });
});

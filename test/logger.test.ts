import { describe, expect, it } from 'vitest';
import { captureLogs } from './support/logs.js';

describe('logger', () => {
  it('redacts authorization headers and the secrets of the configuration wherever they are logged', () => {
    const { logger, raw } = captureLogs();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer header-secret-1' } },
        headers: { authorization: 'Bearer header-secret-2' },
        request: { headers: { authorization: 'Bearer header-secret-3' } },
        config: { MicrosoftAppPassword: 'app-secret', DIRECT_LINE_SECRET: 'dl-secret', AGENT_TOKEN: 'agent-secret' },
        AGENT_TOKEN: 'agent-secret-top',
        grant: { token: 'grant-secret' },
      },
      'configuration',
    );
    const line = raw.join('');
    for (const secret of ['header-secret-1', 'header-secret-2', 'header-secret-3', 'app-secret', 'dl-secret', 'agent-secret', 'grant-secret']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig, readEnvironment } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const projectRoot = path.join(import.meta.dirname, '..', '..');

describe('configuration', () => {
  it('runs on embedded defaults with no variables at all', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.MicrosoftAppId).toBe('');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable with a bad value in one line', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^Invalid configuration:\nPORT="eighty": /);
  });

  it('lists every bad variable, not just the first', () => {
    try {
      loadConfig({ PORT: '-1', LOG_LEVEL: 'loud', MicrosoftAppType: 'Whatever' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT=/);
      expect(message).toMatch(/LOG_LEVEL=/);
      expect(message).toMatch(/MicrosoftAppType=/);
    }
  });

  it('requires a password once an app id is set', () => {
    expect(() => loadConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001' })).toThrow(/MicrosoftAppPassword/);
  });

  it('requires a tenant for single-tenant bots', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'SingleTenant' })).toThrow(/MicrosoftAppTenantId/);
  });

  it('keeps state in a file under ./data unless told otherwise', () => {
    const config = loadConfig({});
    expect(config.STORAGE).toBe('file');
    expect(config.DATA_DIR).toBe('./data');
    expect(config.TRANSCRIPT_RETENTION_DAYS).toBe(30);
  });

  it('requires a connection string for blob storage, naming the variable', () => {
    expect(() => loadConfig({ STORAGE: 'blob' })).toThrow(/^Invalid configuration:\nBLOB_CONNECTION_STRING="": required when STORAGE is blob$/);
  });

  it('refuses one blob container for both state and transcripts', () => {
    expect(() => loadConfig({ STORAGE: 'blob', BLOB_CONNECTION_STRING: 'UseDevelopmentStorage=true', BLOB_TRANSCRIPT_CONTAINER: 'bot-state' })).toThrow(/BLOB_TRANSCRIPT_CONTAINER="bot-state": must differ from BLOB_CONTAINER/);
  });

  it('refuses container names Azure would reject and retention shorter than a day', () => {
    expect(() => loadConfig({ BLOB_CONTAINER: 'Bot_State', TRANSCRIPT_RETENTION_DAYS: '0' })).toThrow(/BLOB_CONTAINER="Bot_State"[\s\S]*TRANSCRIPT_RETENTION_DAYS="0"/);
  });

  it('reads one token per agent and refuses a shared, short or nameless one', () => {
    expect(loadConfig({ AGENT_TOKENS: 'Dana=token-of-dana-0123456789, Lee=token-of-lee-01234567890' }).AGENT_TOKENS).toEqual([
      { name: 'Dana', token: 'token-of-dana-0123456789' },
      { name: 'Lee', token: 'token-of-lee-01234567890' },
    ]);
    expect(() => loadConfig({ AGENT_TOKENS: 'Dana=short' })).toThrow(/AGENT_TOKENS.*Dana needs at least 16/);
    expect(() => loadConfig({ AGENT_TOKENS: '=token-without-a-name-0123' })).toThrow(/AGENT_TOKENS.*name=token/);
    expect(() => loadConfig({ AGENT_TOKENS: 'Dana=same-token-0123456789,Lee=same-token-0123456789' })).toThrow(/a token of their own/);
  });

  it('stops on the retired AGENT_TOKEN, naming what replaced it', () => {
    expect(() => loadConfig({ AGENT_TOKEN: 'agent-token-0123456789' })).toThrow(/AGENT_TOKEN: replaced by AGENT_TOKENS/);
  });

  it('needs the client id and public address with a sign-in issuer, and https except to this machine', () => {
    expect(() => loadConfig({ AGENT_OIDC_ISSUER: 'https://login.microsoftonline.com/contoso/v2.0' })).toThrow(/AGENT_OIDC_ISSUER: console sign-in also needs AGENT_OIDC_CLIENT_ID and PUBLIC_BASE_URL/);
    expect(() => loadConfig({ AGENT_OIDC_ISSUER: 'http://login.example.com/v2.0', PUBLIC_BASE_URL: 'http://support.example.com' })).toThrow(
      /AGENT_OIDC_ISSUER="http:\/\/login\.example\.com\/v2\.0": must be an https:\/\/ URL[\s\S]*PUBLIC_BASE_URL="http:\/\/support\.example\.com"/,
    );
    const config = loadConfig({ AGENT_OIDC_ISSUER: 'http://127.0.0.1:4000', AGENT_OIDC_CLIENT_ID: 'console', PUBLIC_BASE_URL: 'https://support.example.com/' });
    expect(config).toMatchObject({ AGENT_OIDC_ISSUER: 'http://127.0.0.1:4000', PUBLIC_BASE_URL: 'https://support.example.com', AGENT_SESSION_HOURS: 12 });
  });

  it('reads .env but lets the shell environment win', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, 'PORT=4100\nLOG_LEVEL=debug\n');
    const config = loadConfig(readEnvironment({ LOG_LEVEL: 'warn' }, file));
    expect(config.PORT).toBe(4100);
    expect(config.LOG_LEVEL).toBe('warn');
  });

  it('documents exactly the variables it reads in .env.example', () => {
    const example = readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1]);
    expect([...documented].sort()).toEqual([...CONFIG_KEYS].sort());
    for (const key of CONFIG_KEYS) expect(example, `${key} needs a comment line`).toMatch(new RegExp(`#[^\\n]*\\n${key}=`));
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot, type SentActivity } from '../support/botServer.js';

/**
 * Teams activities as Teams sends them (test/fixtures/teams/*.json, shaped after TEAMS.md:
 * clientInfo entities, text/html copies, mentions not first, `;messageid=` thread ids, card
 * postbacks without text), replayed through POST /api/messages. nock stands in for the Teams
 * connector at the tenant's serviceUrl; each test checks everything the bot sent back.
 */
const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const TEAMS_SERVICE_URL = `https://smba.trafficmanager.net/amer/${TENANT}/`;
const PERSONAL_CHAT = 'a:1Vt7uYkP3qL9wE2rT5yU8iO0pAsDfGhJkLzXcVbNm4QwErTyUiOp6AsDfGhJkLzXcV';
const GROUP_CHAT = '19:a41c9e7f0d2b4c8e9f1a3b5c7d9e0f2a@thread.v2';
const SUPPORT_CHANNEL = '19:8b2e0f4d6c1a4e3f9d7b5a2c0e8f6d4b@thread.tacv2';
const TEAM = '19:Kq3hT2l0b5Ww8fYvXn1sC4uRjM7pZdEa@thread.tacv2';
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const MENU = ['"Cannot Restore Backup" error', 'Restore is taking a long time', 'No iCloud backups listed', 'Asked for several Apple IDs'];

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'teams');
const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8'));

let bot: RunningBot;
let logLines: Record<string, any>[];
beforeEach(async () => {
  logLines = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
  bot = await startBot({}, { serviceUrls: [TEAMS_SERVICE_URL], logger });
});
afterEach(async () => {
  await bot.close();
});

async function replay(name: string, changes: Record<string, unknown> = {}): Promise<{ status: number; sent: SentActivity[] }> {
  const mark = bot.sent.length;
  const response = await bot.post({ ...fixture(name), ...changes });
  return { status: response.status, sent: bot.sent.slice(mark) };
}

/** Where an activity went and what it shows, in a form a test can compare whole. */
function rendered(activity: SentActivity) {
  const { body } = activity;
  return {
    serviceUrl: activity.serviceUrl,
    conversationId: activity.conversationId,
    replyToId: activity.replyToId,
    type: body.type,
    text: body.text,
    textFormat: body.textFormat,
    suggestedActions: body.suggestedActions?.actions.map((action: any) => ({ type: action.type, title: action.title, value: action.value })),
    attachments: body.attachments?.map((attachment: any) => attachment.contentType),
  };
}

const textOfCards = (sent: readonly SentActivity[]): string => sent.map((activity) => JSON.stringify(card(activity).body ?? activity.body.text)).join('\n');
const card = (activity: SentActivity | undefined): Record<string, any> => activity?.body.attachments?.[0]?.content ?? {};
const submitButtons = (labels: readonly string[]) => labels.map((label) => ({ type: 'Action.Submit', title: label, data: { choice: label } }));
const imBacks = (labels: readonly string[]) => labels.map((label) => ({ type: 'imBack', title: label, value: label }));

describe('Teams personal chat', () => {
  it('answers with markdown text and the choices as suggested actions, in reply to the message', async () => {
    const { status, sent } = await replay('personal-message');
    expect(status).toBe(200);
    expect(sent.map(rendered)).toEqual([
      {
        serviceUrl: TEAMS_SERVICE_URL,
        conversationId: PERSONAL_CHAT,
        replyToId: '1741079702512',
        type: 'message',
        text: expect.stringMatching(/^How long a restore takes depends.*1 to 4 hours per gigabyte.*Are you travelling right now/s),
        textFormat: 'markdown',
        suggestedActions: imBacks(["Yes, I'm travelling", "No, I'm at home"]),
        attachments: undefined,
      },
    ]);
  });

  it('puts an answer with a list in an Adaptive Card whose own Action.Submit buttons carry the choices', async () => {
    const { sent } = await replay('personal-message', { text: 'why are no backups listed?\n', attachments: [{ contentType: 'text/html', content: '<p>why are no backups listed?</p>' }] });
    expect(sent.map(rendered)).toEqual([
      expect.objectContaining({ conversationId: PERSONAL_CHAT, replyToId: '1741079702512', text: undefined, attachments: [ADAPTIVE_CARD], suggestedActions: undefined }),
    ]);
    const body = card(sent[0]).body as { type: string; text: string; wrap: boolean }[];
    expect(body.every((block) => block.type === 'TextBlock' && block.wrap)).toBe(true);
    expect(body.map((block) => block.text).join('\n')).toContain('\r- **The backup belongs to a different iCloud account.**');
    expect(card(sent[0]).actions).toEqual(submitButtons(['Yes, it has', 'No / not sure', 'Different iCloud account', 'Found it now', 'No backup in months']));
  });

  it('follows a personal-chat card button postback, which has no text, to the next step', async () => {
    await replay('personal-message', { id: 'list-1', text: 'why are no backups listed?' });
    const { sent } = await replay('personal-message', { id: 'list-2', text: undefined, value: { choice: 'Different iCloud account' } });
    expect(textOfCards(sent)).toMatch(/tap \*\*Back\*\*/);
  });

  it.each(['user-first', 'bot-first'])('welcomes the user once on install, whichever member comes first (%s)', async (order) => {
    const { status, sent } = await replay(`personal-conversation-update-${order}`);
    expect(status).toBe(200);
    expect(sent.map(rendered)).toEqual([
      expect.objectContaining({
        serviceUrl: TEAMS_SERVICE_URL,
        conversationId: PERSONAL_CHAT,
        replyToId: fixture(`personal-conversation-update-${order}`).id,
        type: 'message',
        text: undefined,
        suggestedActions: undefined,
        attachments: [ADAPTIVE_CARD],
      }),
    ]);
    // Teams draws three suggested actions at most: the four topics are the card's own buttons.
    expect(card(sent[0]).body[0].text).toMatch(/^Hi, I'm the Backup & Restore assistant/);
    expect(card(sent[0]).actions).toEqual(submitButtons(MENU));
  });

  it('welcomes once when installationUpdate and both conversationUpdate shapes arrive for one install', async () => {
    const first = await replay('personal-installation-update');
    const second = await replay('personal-conversation-update-user-first');
    const third = await replay('personal-conversation-update-bot-first');
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(first.sent.map(rendered)).toEqual([expect.objectContaining({ conversationId: PERSONAL_CHAT, attachments: [ADAPTIVE_CARD], suggestedActions: undefined })]);
    expect([...second.sent, ...third.sent]).toEqual([]);
  });
});

describe('Teams group chat', () => {
  it('answers a message that mentions the bot after another person, with an Adaptive Card of Action.Submit buttons', async () => {
    const { status, sent } = await replay('group-message-with-mention');
    expect(status).toBe(200);
    expect(sent.map(rendered)).toEqual([
      {
        serviceUrl: TEAMS_SERVICE_URL,
        conversationId: GROUP_CHAT,
        replyToId: '1741082531044',
        type: 'message',
        text: undefined,
        textFormat: undefined,
        suggestedActions: undefined,
        attachments: [ADAPTIVE_CARD],
      },
    ]);
    const content = card(sent[0]);
    expect(content).toMatchObject({ type: 'AdaptiveCard', version: '1.2' });
    expect(content.body[0]).toEqual({ type: 'TextBlock', text: expect.stringMatching(/^How long a restore takes depends/), wrap: true });
    expect(content.actions).toEqual(submitButtons(["Yes, I'm travelling", "No, I'm at home"]));
  });

  it('stays silent when a message does not mention the bot', async () => {
    const { status, sent } = await replay('group-message-without-mention');
    expect(status).toBe(200);
    expect(sent).toEqual([]);
  });

  it('follows a card button postback, which has no text and no mention, to the next step', async () => {
    await replay('group-message-with-mention');
    const { status, sent } = await replay('group-card-postback');
    expect(status).toBe(200);
    expect(sent.map(rendered)).toEqual([expect.objectContaining({ conversationId: GROUP_CHAT, replyToId: '1741082550871', text: undefined, suggestedActions: undefined, attachments: [ADAPTIVE_CARD] })]);
    expect(card(sent[0]).body[0].text).toMatch(/^That can make it slower/);
    expect(card(sent[0]).actions).toEqual(submitButtons(["Yes, I'll let it run", 'No, it looks stuck']));
  });

  it('introduces itself once when it is added, not once per member, and greets nobody who joins later', async () => {
    const added = await replay('group-conversation-update-bot-added');
    expect(added.sent.map(rendered)).toEqual([
      expect.objectContaining({ conversationId: GROUP_CHAT, replyToId: fixture('group-conversation-update-bot-added').id, text: undefined, suggestedActions: undefined, attachments: [ADAPTIVE_CARD] }),
    ]);
    expect(card(added.sent[0]).body.map((block: { text: string }) => block.text).join('\n')).toMatch(/^Hi everyone, I'm the Backup & Restore assistant.*mention me/s);
    expect(card(added.sent[0]).actions).toEqual(submitButtons(MENU));

    const joined = await replay('group-conversation-update-member-added');
    const again = await replay('group-conversation-update-bot-added');
    expect([joined.status, again.status]).toEqual([200, 200]);
    expect([...joined.sent, ...again.sent]).toEqual([]);
  });
});

describe('Teams channel', () => {
  it('answers in the thread of the message that mentioned it', async () => {
    const { status, sent } = await replay('channel-message');
    expect(status).toBe(200);
    expect(sent.map(rendered)).toEqual([
      {
        serviceUrl: TEAMS_SERVICE_URL,
        conversationId: `${SUPPORT_CHANNEL};messageid=1741095801377`,
        replyToId: '1741095920118',
        type: 'message',
        text: undefined,
        textFormat: undefined,
        suggestedActions: undefined,
        attachments: [ADAPTIVE_CARD],
      },
    ]);
    const content = card(sent[0]);
    expect(content.body.map((block: { text: string }) => block.text)).toEqual([
      expect.stringMatching(/^If no backups appear/),
      '**Where to find your iCloud backups**',
      expect.stringMatching(/^- On the device: .*\r- On a computer: /s),
      '**Why the list can be empty or dimmed**',
      expect.stringMatching(/^- \*\*No backup ever finished\.\*\*.*\r.*\r.*\r- \*\*The device hasn't backed up for 180 days or more\.\*\*/s),
      expect.stringMatching(/^Let's find which one it is\./),
    ]);
    expect(content.actions).toEqual(submitButtons(['Yes, it has', 'No / not sure', 'Different iCloud account', 'Found it now', 'No backup in months']));
  });

  it('introduces itself once to the team when added (conversationUpdate, then installationUpdate)', async () => {
    const added = await replay('team-conversation-update-bot-added');
    const installed = await replay('team-installation-update');
    expect(added.sent.map(rendered)).toEqual([
      expect.objectContaining({ conversationId: TEAM, replyToId: fixture('team-conversation-update-bot-added').id, attachments: [ADAPTIVE_CARD], suggestedActions: undefined }),
    ]);
    expect(card(added.sent[0]).actions).toEqual(submitButtons(MENU));
    expect(installed.status).toBe(200);
    expect(installed.sent).toEqual([]);
  });

  it('logs the tenant, team and channel ids on the turn line, without the message text', async () => {
    await replay('channel-message');
    const turnLine = logLines.find((line) => line.msg === 'turn');
    expect(turnLine).toMatchObject({
      conversationId: `${SUPPORT_CHANNEL};messageid=1741095801377`,
      scope: 'channel',
      tenantId: TENANT,
      teamId: TEAM,
      teamsChannelId: SUPPORT_CHANNEL,
      activityId: '1741095920118',
      intent: 'no_backups_listed',
    });
    expect(JSON.stringify(turnLine)).not.toMatch(/why are no backups/);
  });
});

describe('Teams invokes', () => {
  it('answers an adaptiveCard/action invoke in the HTTP response (501: this bot uses Action.Submit) and sends nothing', async () => {
    const { status, sent } = await replay('invoke-adaptive-card-action');
    expect(status).toBe(501);
    expect(sent).toEqual([]);
    expect(logLines.filter((line) => line.level >= 50)).toEqual([]);
  });
});

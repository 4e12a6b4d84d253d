import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { activityToTurn } from '../../src/channels/activityToTurn.js';
import { replyToActivity } from '../../src/channels/replyToActivity.js';

const bot = { id: '28:bot-app-id', name: 'Support Bot' };
const base = {
  serviceUrl: 'https://smba.trafficmanager.net/amer/72f988bf-86f1-41af-91ab-2d7cd011db47/',
  channelId: 'msteams',
  recipient: bot,
  from: { id: '29:user', name: 'Ada' },
  conversation: { id: 'a:1', tenantId: '72f988bf' },
  channelData: { tenant: { id: '72f988bf' } },
} as const;
const teamsMessage = (extra: Partial<Activity>): Activity => ({ ...base, type: 'message', id: 'm1', ...extra }) as Activity;

describe('activity to turn', () => {
  it('removes the bot mention wherever it is, leaving other mentions alone', () => {
    const turn = activityToTurn(
      teamsMessage({
        text: '<at>Grace</at>   <at>Support Bot</at> my restore is slow\n',
        entities: [
          { type: 'clientInfo', locale: 'en-US' },
          { type: 'mention', text: '<at>Grace</at>', mentioned: { id: '29:grace', name: 'Grace' } },
          { type: 'mention', text: '<at>Support Bot</at>', mentioned: bot },
        ],
        conversation: { id: '19:chat@thread.v2', isGroup: true, conversationType: 'groupChat' } as Activity['conversation'],
      }),
    );
    expect(turn).toMatchObject({ kind: 'message', scope: 'group', channel: 'teams', text: 'Grace my restore is slow' });
  });

  it('drops control characters and bidirectional overrides, keeping tabs and line breaks as spaces and newlines', () => {
    const turn = activityToTurn(teamsMessage({ text: 'my re\u0000sto\u0007re\u202e is\tslow\u2066\r\nstill\u009b' }));
    expect(turn).toMatchObject({ kind: 'message', text: 'my restore is slow\nstill' });
  });

  it('carries the activity id, for replays to be recognised', () => {
    expect(activityToTurn(teamsMessage({ id: 'activity-7', text: 'hi' }))).toMatchObject({ activityId: 'activity-7' });
  });

  it('removes every mention of the bot, in the middle of the text too', () => {
    const turn = activityToTurn(
      teamsMessage({
        text: 'hey <at>Support Bot</at>, my restore is slow <at>Support Bot</at>',
        entities: [{ type: 'mention', text: '<at>Support Bot</at>', mentioned: bot }],
      }),
    );
    expect(turn).toMatchObject({ text: 'hey , my restore is slow' });
  });

  it('ignores a group chat or channel message that does not mention the bot', () => {
    for (const conversation of [
      { id: '19:chat@thread.v2', isGroup: true, conversationType: 'groupChat' },
      { id: '19:channel@thread.tacv2;messageid=1700000000000', isGroup: true, conversationType: 'channel' },
    ]) {
      const turn = activityToTurn(teamsMessage({ text: 'my restore is slow', entities: [{ type: 'clientInfo' }], conversation: conversation as Activity['conversation'] }));
      expect(turn).toBeNull();
    }
  });

  it('lets a card button postback through in a group chat although it mentions nobody', () => {
    const turn = activityToTurn(
      teamsMessage({ text: undefined, value: { choice: 'No, I\'m at home' }, conversation: { id: '19:chat@thread.v2', isGroup: true, conversationType: 'groupChat' } as Activity['conversation'] }),
    );
    expect(turn).toMatchObject({ kind: 'message', scope: 'group', text: "No, I'm at home" });
  });

  it('does not count the text/html copy Teams attaches as a file', () => {
    const turn = activityToTurn(teamsMessage({ text: 'hello', attachments: [{ contentType: 'text/html', content: '<p>hello</p>' }] }));
    expect(turn?.kind === 'message' && turn.hasAttachments).toBe(false);
  });

  it('reads an Action.Submit value when the text is absent', () => {
    const turn = activityToTurn(teamsMessage({ text: undefined, value: { choice: 'Yes, that worked' } }));
    expect(turn?.kind === 'message' && turn.text).toBe('Yes, that worked');
  });

  it('keeps tenant and activity ids for logs', () => {
    expect(activityToTurn(teamsMessage({ text: 'hi' }))?.trace).toMatchObject({ activityId: 'm1', tenantId: '72f988bf', channelId: 'msteams' });
  });

  it('keeps the team and channel ids of a channel message for logs', () => {
    const turn = activityToTurn(
      teamsMessage({
        text: '<at>Support Bot</at> hi',
        entities: [{ type: 'mention', text: '<at>Support Bot</at>', mentioned: bot }],
        conversation: { id: '19:general@thread.tacv2;messageid=1', isGroup: true, conversationType: 'channel' } as Activity['conversation'],
        channelData: { tenant: { id: '72f988bf' }, team: { id: '19:team@thread.tacv2' }, channel: { id: '19:general@thread.tacv2' } },
      }),
    );
    expect(turn?.trace).toMatchObject({ tenantId: '72f988bf', teamId: '19:team@thread.tacv2', teamsChannelId: '19:general@thread.tacv2' });
  });

  it('turns members added other than the bot into a welcome turn, whatever the order', () => {
    const turn = activityToTurn({ ...base, type: 'conversationUpdate', membersAdded: [{ id: '29:user' }, bot] } as Activity);
    expect(turn).toMatchObject({ kind: 'membersAdded', members: [{ id: '29:user' }] });
  });

  it('ignores a personal conversation update that only adds the bot, and unknown activity types', () => {
    expect(activityToTurn({ ...base, type: 'conversationUpdate', membersAdded: [bot] } as Activity)).toBeNull();
    expect(activityToTurn({ ...base, type: 'messageReaction' } as Activity)).toBeNull();
    expect(activityToTurn({ ...base, type: 'invoke', name: 'adaptiveCard/action' } as Activity)).toBeNull();
  });

  it('turns a personal installationUpdate add into a welcome turn for the installing user', () => {
    expect(activityToTurn({ ...base, type: 'installationUpdate', action: 'add' } as Activity)).toMatchObject({ kind: 'membersAdded', members: [{ id: '29:user' }] });
    expect(activityToTurn({ ...base, type: 'installationUpdate', action: 'remove' } as Activity)).toBeNull();
  });

  it('turns the bot being added to a team or group chat into one botAdded turn, by conversationUpdate or installationUpdate', () => {
    const team = { ...base, conversation: { id: '19:general@thread.tacv2', isGroup: true, conversationType: 'channel' } };
    expect(activityToTurn({ ...team, type: 'conversationUpdate', membersAdded: [{ id: bot.id }] } as Activity)).toMatchObject({ kind: 'botAdded', scope: 'channel', bot: { id: bot.id } });
    expect(activityToTurn({ ...team, type: 'installationUpdate', action: 'add' } as Activity)).toMatchObject({ kind: 'botAdded', bot: { id: bot.id } });
  });

  it('passes people joining a group chat on as members added, for the bot to leave ungreeted', () => {
    const group = { ...base, conversation: { id: '19:chat@thread.v2', isGroup: true, conversationType: 'groupChat' } };
    expect(activityToTurn({ ...group, type: 'conversationUpdate', membersAdded: [{ id: '29:grace' }] } as Activity)).toMatchObject({ kind: 'membersAdded', scope: 'group' });
  });
});

describe('reply to activity', () => {
  const reply = { text: 'Did that work?', choices: ['Yes', 'No'] };

  it("puts an agent's name in bold before their words in every Teams scope, where a bot's message shows no other sender", () => {
    for (const scope of ['personal', 'group', 'channel'] as const) {
      expect(replyToActivity({ text: 'Checking that for you.', speaker: 'Dana' }, { channel: 'teams', scope }).text).toBe('**Dana:** Checking that for you.');
    }
  });

  it("carries an agent's name in channelData elsewhere, for the page to show as the sender", () => {
    const activity = replyToActivity({ text: 'Checking that for you.', speaker: 'Dana' }, { channel: 'webchat', scope: 'personal' });
    expect(activity).toMatchObject({ text: 'Checking that for you.', channelData: { speaker: 'Dana' } });
  });

  it('offers suggested actions in Web Chat and Teams personal chats', () => {
    for (const turn of [{ channel: 'webchat', scope: 'personal' }, { channel: 'teams', scope: 'personal' }] as const) {
      const activity = replyToActivity(reply, turn);
      expect(activity.suggestedActions?.actions.map((action) => action.title)).toEqual(['Yes', 'No']);
    }
  });

  it('uses Adaptive Card buttons that post back the choice in Teams group chats and channels, which drop suggested actions', () => {
    for (const scope of ['group', 'channel'] as const) {
      const activity = replyToActivity(reply, { channel: 'teams', scope });
      expect(activity.suggestedActions).toBeUndefined();
      expect(activity.text).toBeUndefined();
      expect(activity.attachments).toEqual([
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            version: '1.2',
            body: [{ type: 'TextBlock', text: 'Did that work?', wrap: true }],
            actions: [
              { type: 'Action.Submit', title: 'Yes', data: { choice: 'Yes' } },
              { type: 'Action.Submit', title: 'No', data: { choice: 'No' } },
            ],
          },
        },
      ]);
    }
  });

  it('sends plain markdown text in Teams group chats when there is no list and nothing to choose', () => {
    expect(replyToActivity({ text: 'Glad that worked!' }, { channel: 'teams', scope: 'group' })).toMatchObject({ text: 'Glad that worked!', textFormat: 'markdown' });
  });

  it('keeps lists as markdown text in Web Chat', () => {
    expect(replyToActivity({ text: '- one\n- two' }, { channel: 'webchat', scope: 'personal' })).toMatchObject({ text: '- one\n- two', textFormat: 'markdown' });
  });

  it('puts text with a list in Adaptive Card TextBlocks in Teams, one per paragraph and per run of items, its choices as its buttons', () => {
    const activity = replyToActivity({ text: 'Check these:\n- power\n- Wi-Fi\n\n1. first\n2. second\n\nThen try again.\n', choices: ['Done'] }, { channel: 'teams', scope: 'personal' });
    expect(activity.text).toBeUndefined();
    expect(activity.suggestedActions).toBeUndefined();
    expect(activity.attachments?.[0]?.content.body).toEqual([
      { type: 'TextBlock', text: 'Check these:', wrap: true },
      { type: 'TextBlock', text: '- power\r- Wi-Fi', wrap: true },
      { type: 'TextBlock', text: '1. first\r2. second', wrap: true },
      { type: 'TextBlock', text: 'Then try again.', wrap: true },
    ]);
    expect(activity.attachments?.[0]?.content.actions).toEqual([{ type: 'Action.Submit', title: 'Done', data: { choice: 'Done' } }]);
  });

  it('offers at most three suggested actions in a Teams personal chat: more choices become card buttons', () => {
    const four = ['one', 'two', 'three', 'four'];
    const activity = replyToActivity({ text: 'Pick a topic.', choices: four }, { channel: 'teams', scope: 'personal' });
    expect(activity.suggestedActions).toBeUndefined();
    expect(activity.attachments?.[0]?.content.actions.map((action: { title: string }) => action.title)).toEqual(four);
    const three = replyToActivity({ text: 'Pick one.', choices: four.slice(0, 3) }, { channel: 'teams', scope: 'personal' });
    expect(three.suggestedActions?.actions.map((action) => action.title)).toEqual(four.slice(0, 3));
    expect(three.attachments).toBeUndefined();
  });
});

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
    expect(turn).toMatchObject({ kind: 'message', scope: 'group', channel: 'teams' });
    expect(turn?.kind === 'message' && turn.text.replace(/\s+/g, ' ').trim()).toBe('<at>Grace</at> my restore is slow');
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

  it('turns members added other than the bot into a welcome turn, whatever the order', () => {
    const turn = activityToTurn({ ...base, type: 'conversationUpdate', membersAdded: [{ id: '29:user' }, bot] } as Activity);
    expect(turn).toMatchObject({ kind: 'membersAdded', members: [{ id: '29:user' }] });
  });

  it('ignores a conversation update that only adds the bot, and unknown activity types', () => {
    expect(activityToTurn({ ...base, type: 'conversationUpdate', membersAdded: [bot] } as Activity)).toBeNull();
    expect(activityToTurn({ ...base, type: 'messageReaction' } as Activity)).toBeNull();
  });
});

describe('reply to activity', () => {
  const reply = { text: 'Did that work?', choices: ['Yes', 'No'] };

  it('offers suggested actions in Web Chat and Teams personal chats', () => {
    for (const turn of [{ channel: 'webchat', scope: 'personal' }, { channel: 'teams', scope: 'personal' }] as const) {
      const activity = replyToActivity(reply, turn);
      expect(activity.suggestedActions?.actions.map((action) => action.title)).toEqual(['Yes', 'No']);
    }
  });

  it('uses card buttons in Teams group chats, which drop suggested actions', () => {
    const activity = replyToActivity(reply, { channel: 'teams', scope: 'group' });
    expect(activity.suggestedActions).toBeUndefined();
    expect(activity.attachments?.[0]?.content.buttons.map((button: { title: string }) => button.title)).toEqual(['Yes', 'No']);
    expect(activity.text).toBe('Did that work?');
  });

  it('sends plain markdown text when there is nothing to choose', () => {
    expect(replyToActivity({ text: '- one\n- two' }, { channel: 'webchat', scope: 'personal' })).toMatchObject({ text: '- one\n- two', textFormat: 'markdown' });
  });
});

import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { activityToTurn } from '../../src/channels/activityToTurn.js';
import { replyToActivity } from '../../src/channels/replyToActivity.js';

/** Feedback at the seam: Teams' feedback-loop invoke as a turn, and each channel's way of asking. */
const base = {
  serviceUrl: 'https://smba.trafficmanager.net/amer/72f988bf-86f1-41af-91ab-2d7cd011db47/',
  channelId: 'msteams',
  recipient: { id: '28:bot-app-id', name: 'Support Bot' },
  from: { id: '29:user', name: 'Ada' },
  conversation: { id: 'a:1', tenantId: '72f988bf' },
  channelData: { tenant: { id: '72f988bf' } },
} as const;
const invoke = (value: unknown, name = 'message/submitAction'): Activity => ({ ...base, type: 'invoke', id: 'i1', name, value, replyToId: 'm1' }) as Activity;
const labels = { helpful: '👍 That helped', notHelpful: '👎 Not helpful' };

describe("Teams' feedback loop", () => {
  it('turns a thumbs up or down into a feedback turn', () => {
    expect(activityToTurn(invoke({ actionName: 'feedback', actionValue: { reaction: 'like', feedback: '{"feedbackText":""}' } }))).toMatchObject({ kind: 'feedback', helpful: true });
    expect(activityToTurn(invoke({ actionName: 'feedback', actionValue: { reaction: 'dislike' } }))).toMatchObject({ kind: 'feedback', helpful: false, scope: 'personal' });
  });

  it("reads the comment typed with a thumbs down, and leaves out a like's, an empty one and one that is not Teams' JSON", () => {
    const dislike = (feedback: unknown) => activityToTurn(invoke({ actionName: 'feedback', actionValue: { reaction: 'dislike', feedback } }));
    expect(dislike('{"feedbackText":"  it did not say how long it takes  "}')).toMatchObject({ kind: 'feedback', helpful: false, comment: 'it did not say how long it takes' });
    expect(activityToTurn(invoke({ actionName: 'feedback', actionValue: { reaction: 'like', feedback: '{"feedbackText":"great"}' } }))).not.toHaveProperty('comment');
    for (const feedback of ['{"feedbackText":"   "}', '{"feedbackText":42}', 'not json', 'null', { feedbackText: 'an object, not JSON text' }, `{"feedbackText":"${'x'.repeat(9000)}"}`]) {
      const turn = dislike(feedback);
      expect(turn).toMatchObject({ kind: 'feedback', helpful: false });
      expect(turn).not.toHaveProperty('comment');
    }
  });

  it('bounds a long comment before anything else reads it', () => {
    const turn = activityToTurn(invoke({ actionName: 'feedback', actionValue: { reaction: 'dislike', feedback: JSON.stringify({ feedbackText: 'y'.repeat(5000) }) } }));
    expect((turn as { comment?: string }).comment).toHaveLength(2000);
  });

  it('ignores a submitAction that is not feedback, a reaction it does not know, and other invokes', () => {
    expect(activityToTurn(invoke({ actionName: 'other', actionValue: { reaction: 'like' } }))).toBeNull();
    expect(activityToTurn(invoke({ actionName: 'feedback', actionValue: { reaction: 'love' } }))).toBeNull();
    expect(activityToTurn(invoke(undefined))).toBeNull();
    expect(activityToTurn(invoke({ actionName: 'feedback', actionValue: { reaction: 'like' } }, 'adaptiveCard/action'))).toBeNull();
  });
});

describe('asking whether an answer helped', () => {
  it('adds two buttons after the answer\'s own in Web Chat', () => {
    const activity = replyToActivity({ text: 'Pick the newest backup.', choices: ['No backups listed'], askFeedback: true }, { channel: 'webchat', scope: 'personal' }, labels);
    expect(activity.suggestedActions?.actions.map((action) => action.title)).toEqual(['No backups listed', labels.helpful, labels.notHelpful]);
  });

  it("turns on Teams' own feedback loop instead of buttons, in a card as in a plain message", () => {
    const plain = replyToActivity({ text: 'Pick the newest backup.', askFeedback: true }, { channel: 'teams', scope: 'personal' }, labels);
    expect(plain.channelData).toEqual({ feedbackLoopEnabled: true });
    expect(plain.suggestedActions).toBeUndefined();
    const card = replyToActivity({ text: 'Try these:\n- one\n- two', askFeedback: true }, { channel: 'teams', scope: 'group' }, labels);
    expect(card.channelData).toEqual({ feedbackLoopEnabled: true });
    expect(card.attachments).toHaveLength(1);
  });

  it('asks nothing of a reply that does not ask', () => {
    const activity = replyToActivity({ text: 'Which step are you at?', choices: ['Wi-Fi'] }, { channel: 'teams', scope: 'personal' }, labels);
    expect(activity.channelData).toBeUndefined();
  });
});

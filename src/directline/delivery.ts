import type { Logger } from 'pino';
import type { DirectLineRecord } from '../storage/backend.js';
import { customerCopy } from './activities.js';
import type { KeptConversations } from './conversations.js';

export const BOT_ACCOUNT = Object.freeze({ id: 'restore-support-bot', name: 'Backup & Restore Help' });

/** The fields every activity of an embedded conversation carries, stamped by the service. */
export const envelopeOf = (record: DirectLineRecord, now: number) => ({ channelId: 'webchat', conversation: { id: record.id }, timestamp: new Date(now).toISOString() });

/**
 * The bot's side of the embedded Direct Line: what the bot sends (a reply, or an agent's message
 * outside a turn) joins the conversation, if it is for customers. Kept apart from the service, so
 * the channel can be given it before the service is given the channel.
 */
export class BotDelivery {
  constructor(
    private readonly kept: KeptConversations,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The id the activity got, or undefined when it is not for customers and was dropped. */
  async deliver(conversationId: string, sent: Record<string, unknown>): Promise<string | undefined> {
    const copy = customerCopy(sent);
    if (!copy) {
      this.logger.debug({ conversationId, type: sent.type, name: sent.name }, 'bot activity not for customers; not delivered to web chat');
      return undefined;
    }
    const conversation = await this.kept.get(conversationId);
    const { record } = conversation;
    const speaker = (copy.channelData as { speaker?: string } | undefined)?.speaker;
    // An agent's message comes from the agent, by name, so Web Chat shows who is talking.
    const from = speaker ? { id: `agent-${speaker.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, name: speaker, role: 'bot' } : { ...BOT_ACCOUNT, role: 'bot' };
    const [stored] = await this.kept.append(conversation, [{ ...copy, type: String(copy.type), ...envelopeOf(record, this.now()), from, recipient: { id: record.userId, role: 'user' } }]);
    return String(stored?.id);
  }
}

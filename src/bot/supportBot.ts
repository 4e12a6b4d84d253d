import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.js';
import { offered, queued } from '../handoff/flow.js';
import type { HandoffQueue } from '../handoff/queue.js';
import { summarize } from '../handoff/summary.js';
import type { CaseCustomer, ConversationAddress, HandoffContext, HandoffSummary } from '../handoff/types.js';
import type { Content } from '../content/types.js';
import type { InsightEvent } from '../insights/events.js';
import type { InsightRecorder } from '../insights/recorder.js';
import { asOneWord } from '../nlu/normalize.js';
import type { Recognition } from '../nlu/recognizer.js';
import type { Update } from '../storage/conversationStore.js';
import type { Conversation } from './conversation.js';
import type { Outcome } from './outcome.js';
import { withoutHandoff, type HandoffTurns } from './handoffTurns.js';
import { PUZZLED, withoutSignature } from './messageShape.js';
import { addressOf, type OrderedTurns } from './orderedTurn.js';
import { recover } from './recovery.js';
import type { ConversationState } from './state.js';
import type { Said, Transcript } from './transcript.js';
import type { ConversationRef, FeedbackTurn, MessageTurn, Reply, TranscriptLine, Turn, TurnResult } from './types.js';
import { introduceBot, welcomeMembers } from './welcome.js';

export interface SupportBotDeps {
  readonly content: Content;
  readonly recognize: (text: string) => Recognition;
  /** The reply policy: what to say to a customer's message when no person is involved. */
  readonly conversation: Conversation;
  readonly turns: OrderedTurns;
  readonly transcript: Transcript;
  readonly handoff: HandoffTurns;
  /** The embedded agent queue, when the console is enabled; external hubs only see handoff events. */
  readonly queue?: Pick<HandoffQueue, 'request' | 'close' | 'leaveMessage' | 'standing'>;
  /**
   * Who could take this conversation: 'now' (an agent online in the console, a hub on its channel,
   * agents in the chat), 'later' (the console has agents, none online: a message can be left), or
   * 'nobody' (no console, no hub, no agents: a person must not even be promised).
   */
  readonly people: (turn: MessageTurn) => Promise<People>;
  readonly logger: Logger;
  /** Where what happened goes (INSIGHTS_ENABLED); absent, nothing is recorded. */
  readonly insights?: Pick<InsightRecorder, 'record'>;
  readonly maxMessageChars: number;
  /** The largest picture kept (UPLOAD_MAX_BYTES), named in the refusal. */
  readonly maxUploadBytes: number;
  readonly now: () => Date;
}

export type People = 'now' | 'later' | 'nobody';

/** Text with at least one letter or digit: emoji, punctuation and whitespace alone are not a question. */
const READABLE = /[\p{L}\p{N}]/u;
/** Messages that ask to stop waiting for a person. */
const WITHDRAWING = new Set(['cancel', 'restart', 'goodbye']);

/**
 * The turn router: Turn in, replies out. Each kind of turn goes to the module that owns it, in
 * one ordered, replay-safe update of the conversation's state (orderedTurn.ts); the queue hears
 * about handoffs once the state is saved.
 */
export class SupportBot {
  private readonly conversation: Conversation;
  private readonly transcript: Transcript;
  private readonly turns: OrderedTurns;
  private readonly handoff: HandoffTurns;
  private readonly now: () => Date;

  constructor(private readonly deps: SupportBotDeps) {
    ({ conversation: this.conversation, transcript: this.transcript, turns: this.turns, handoff: this.handoff, now: this.now } = deps);
  }

  async handle(turn: Turn): Promise<TurnResult> {
    const result = await this.route(turn);
    await this.report(addressOf(turn), result, this.turns.logFor(turn));
    if (result.events && !result.replayed) this.deps.insights?.record(`${turn.channelId}|${turn.conversationId}`, result.events, this.now());
    return result;
  }

  /** A state that broke a turn is dropped so the next message starts clean instead of failing again. */
  reset(address: ConversationAddress): Promise<void> {
    return this.turns.delete(address);
  }

  async referenceOf(address: ConversationAddress): Promise<ConversationRef | undefined> {
    return (await this.turns.read(address)).reference;
  }

  private route(turn: Turn): Promise<TurnResult> {
    const { phrases } = this.deps.content;
    const menu = this.conversation.menu().choices ?? [];
    switch (turn.kind) {
      case 'message':
        return turn.fromAgent ? this.handoff.agentInSharedChat(turn) : this.onMessage(turn);
      case 'membersAdded':
        return this.turns.inTurn(turn, (state) => welcomeMembers(state, turn, { text: phrases.welcome.trim(), choices: menu }, this.transcript));
      case 'botAdded':
        return this.turns.inTurn(turn, (state) => introduceBot(state, turn, { text: phrases.groupWelcome.trim(), choices: menu }, this.transcript));
      case 'handoffStatus':
        return this.handoff.hubStatus(turn);
      case 'feedback':
        return this.onFeedback(turn);
    }
  }

  /**
   * The queue hears about a handoff once the state is saved: a turn re-run after an eTag conflict
   * must not report twice. A report that fails is logged; the customer has their answer.
   */
  private async report(address: ConversationAddress, result: TurnResult, log: Logger): Promise<void> {
    const { queue } = this.deps;
    if (!queue || (!result.handoff && !result.closeCase && !result.requestCase && !result.leftMessage)) return;
    try {
      if (result.handoff) await queue.request(address, contextOf(result.handoff.summary), result.handoff.customer);
      if (result.requestCase) await queue.request(address, result.requestCase);
      if (result.leftMessage) await queue.leaveMessage(address, result.leftMessage.context, result.leftMessage.text);
      if (result.closeCase) await queue.close(address);
    } catch (error) {
      const code: ErrorCode = 'ERR_STORAGE_UNAVAILABLE';
      log.error({ code, err: error }, 'handoff case not updated');
    }
  }

  private onMessage(turn: MessageTurn): Promise<TurnResult> {
    const log = this.turns.logFor(turn);
    return this.turns.inTurn(turn, async (saved) => {
      // One character over the limit is enough to ask for a shorter message, and keeps a 200 kB
      // message out of the state and the transcript.
      const oneLine = (typed: string) => typed.replace(/\s+/g, ' ').trim().slice(0, this.deps.maxMessageChars + 1);
      const text = oneLine(turn.text);
      const pictures = await this.aboutPictures(turn, Boolean(saved.handoff));
      const attachments = turn.uploads?.length ? { attachments: turn.uploads } : {};
      // While a person is involved the reply address stays the one the handoff began with: a later
      // activity must not redirect an agent's messages.
      const handedOff = saved.handoff ? await this.whileHandedOff(turn, saved, text, { ...pictures, ...attachments }) : undefined;
      if (handedOff) return handedOff;
      // An offer to leave a message that lapsed: this message is a new question for the bot, and
      // insights count the wait as timed out, as for a queue that gave up.
      const fresh = saved.handoff ? withoutHandoff(saved) : saved;
      const lapsed: InsightEvent[] = saved.handoff?.status === 'offered' ? [{ kind: 'waitEnded', why: 'timedOut', from: 'offered' }] : [];
      const state = turn.reference ? { ...fresh, reference: turn.reference } : fresh;
      // A picture alone is kept and acknowledged; where the customer was (a tree's question) stays as it was.
      if (text === '' && pictures.replies.length > 0) return this.transcript.say(state, { customer: '', ...attachments, replies: pictures.replies }, { events: lapsed });

      // Read without a letter's sign-off and signature, which the transcript keeps for the agent.
      const outcome = this.decide(state, oneLine(withoutSignature(turn.text)), turn.hasAttachments);
      log.info(
        {
          intent: outcome.recognition?.intent,
          verdict: outcome.recognition?.verdict,
          confidence: outcome.recognition ? round(outcome.recognition.confidence) : undefined,
          tree: outcome.state.tree ? `${outcome.state.tree.tree}/${outcome.state.tree.node}` : undefined,
          handoff: outcome.handoff,
        },
        'turn',
      );
      // What explains the reading, without the customer's own words (tokens, stems, unknown words),
      // which logs would keep at rest; `npm run chat -- --explain` shows those live.
      const explanation = outcome.recognition?.explanation;
      log.debug({ coverage: explanation?.coverage, matched: explanation?.matched, nearestExample: explanation?.nearestExample, candidates: outcome.recognition?.candidates }, 'recognition');
      const events = [...lapsed, ...(outcome.events ?? [])];
      if (!outcome.handoff) return this.transcript.say(outcome.state, { customer: text, ...attachments, replies: [...pictures.replies, ...outcome.replies] }, { events });
      // Never a queue nobody watches: with nobody online the customer may leave a message; with no
      // console, no hub and no agent in the chat, not even that.
      const people = await this.deps.people(turn);
      const { phrases } = this.deps.content;
      if (people === 'nobody') {
        // A person asked for mid-way keeps the customer's place; at the step that offered one, accepted or
        // asked for, that step's "no" (where else to get help) is what is left.
        const kept = outcome.handoff === 'repeated_fallback' ? { state: outcome.state, replies: [] } : this.deps.conversation.keepPlace(state, outcome);
        // Handed over for not being understood twice, not at their asking: the customer hears what the
        // bot covers, never that a person they did not ask for cannot come.
        const told = outcome.handoff === 'repeated_fallback' ? [{ text: phrases.outOfScope }, this.conversation.menu()] : [{ text: kept.replies.length > 0 ? phrases.noPersonMeanwhile : phrases.noPersonAvailable }, ...kept.replies];
        const noPerson = [...pictures.replies, ...(outcome.asides ?? []), ...told];
        const noHandoff = [...events, ...(kept.events ?? [])].filter((event) => event.kind !== 'handedOff');
        return this.transcript.say(kept.state, { customer: text, ...attachments, replies: noPerson }, { events: noHandoff });
      }
      if (people === 'later') {
        const context = contextOf(this.summary(state, outcome, []));
        return this.transcript.say({ ...outcome.state, handoff: offered(this.now(), context) }, { customer: text, ...attachments, replies: [...pictures.replies, ...(outcome.asides ?? []), { text: phrases.nobodyOnline }] }, { events });
      }
      return this.handOff(turn, state, { ...outcome, events, replies: [...pictures.replies, ...outcome.replies] }, text);
    });
  }

  /**
   * A message while a person is involved, offered or awaited. Whether anyone is online is asked
   * only when it changes what happens (queued or offered), and the customer's place in the queue
   * only when they are about to be told it. Undefined when an offer lapsed.
   */
  private async whileHandedOff(turn: MessageTurn, state: ConversationState, text: string, sent: Pick<Said, 'attachments' | 'replies'>): Promise<Update<ConversationState, TurnResult> | undefined> {
    const { handoff } = state;
    if (!handoff) return undefined;
    const { phrases } = this.deps.content;
    const writing = handoff.status === 'offered' || handoff.status === 'message';
    // An empty message or an emoji is no message to leave; the customer is told, nothing is kept.
    if (writing && !READABLE.test(text) && !sent.attachments) {
      const replies = sent.replies?.length ? sent.replies : [{ text: text === '' && turn.hasAttachments ? phrases.nonText : phrases.empty }];
      return this.transcript.say(state, { replies });
    }
    const available = (handoff.status === 'queued' || handoff.status === 'offered') && (await this.deps.people(turn)) === 'now';
    const toldPlace = (handoff.status === 'queued' && !handoff.waitingNoticeSent) || (handoff.status === 'offered' && available);
    const standing = toldPlace && this.deps.queue ? await this.deps.queue.standing(addressOf(turn)) : undefined;
    const bare = this.conversation.bareAnswer(text);
    return this.handoff.customerWrote(state, text, { withdraws: this.withdraws(text), available, ...(standing ? { standing } : {}), ...(bare ? { bare } : {}) }, sent);
  }

  /** Teams' thumbs on an answer: the same acknowledgement as a typed "that helped" or "not helpful". */
  private onFeedback(turn: FeedbackTurn): Promise<TurnResult> {
    const { phrases } = this.deps.content;
    return this.turns.inTurn(turn, (state) => {
      // While a person is involved the agent answers; the thumbs are still counted.
      const outcome = this.conversation.channelFeedback(state, turn.helpful, turn.comment);
      const replies = state.handoff ? [] : outcome.replies;
      const next = state.handoff ? { ...outcome.state, offered: state.offered } : outcome.state;
      return this.transcript.say(next, { customer: turn.helpful ? phrases.helpfulChoice : phrases.notHelpfulChoice, replies }, { events: outcome.events ?? [] });
    });
  }

  /** The customer is queued for a person, with a summary of what happened so far for the agent, and told their place. */
  private async handOff(turn: MessageTurn, before: ConversationState, outcome: Outcome, text: string): Promise<Update<ConversationState, TurnResult>> {
    const standing = this.deps.queue ? await this.deps.queue.standing(addressOf(turn)) : undefined;
    const replies = [...outcome.replies, ...(standing ? this.handoff.queuedNotice(standing) : [])];
    const attachments = turn.uploads?.length ? { attachments: turn.uploads } : {};
    const said = this.transcript.say({ ...outcome.state, handoff: queued(this.now()) }, { customer: text, ...attachments, replies });
    const earlier = await this.transcript.earlier(addressOf(turn), before, this.turns.logFor(turn));
    const transcript = [...earlier, ...said.result.lines];
    const summary = this.summary(before, outcome, transcript);
    return { state: said.state, result: { ...said.result, handoff: { reason: summary.reason, summary, customer: customerOf(turn, transcript) }, events: outcome.events ?? [] } };
  }

  private summary(before: ConversationState, outcome: Outcome, transcript: HandoffSummary['transcript']): HandoffSummary {
    const reason = outcome.handoff ?? 'customer_asked';
    const topic = before.lastIntent ?? outcome.state.lastIntent;
    const tree = outcome.finishedTree ?? before.tree;
    return summarize({
      reason,
      ...(topic ? { topic } : {}),
      ...(tree ? { tree } : {}),
      // For a request or a tree's handoff node, what the customer was struggling with is the previous message's reading.
      candidates: reason === 'repeated_fallback' ? (outcome.recognition?.candidates ?? []) : before.lastCandidates,
      transcript,
    });
  }

  /**
   * What the bot says about files sent with a message: a refusal (nothing of them was kept), and
   * for kept pictures who will see them. While a person is involved they see the picture in the
   * chat, so only a refusal is said. File names are the customer's text and are never echoed.
   */
  private async aboutPictures(turn: MessageTurn, personInvolved: boolean): Promise<{ replies: Reply[] }> {
    const { phrases } = this.deps.content;
    const replies: Reply[] = [];
    if (turn.refusedUploads?.length) replies.push({ text: phrases.uploadRefused.replaceAll('{limit}', megabytes(this.deps.maxUploadBytes)) });
    if (turn.uploads?.length && !personInvolved) replies.push({ text: (await this.deps.people(turn)) === 'nobody' ? phrases.uploadKeptNoPerson : phrases.uploadKept });
    return { replies };
  }

  private withdraws(text: string): boolean {
    const action = this.deps.content.intentById.get(this.deps.recognize(text).intent ?? '')?.action;
    return action !== undefined && WITHDRAWING.has(action);
  }

  private decide(saved: ConversationState, text: string, hasAttachments: boolean): Outcome {
    const { phrases } = this.deps.content;
    const { state, lost } = recover(saved, this.deps.content);
    if (lost) return { state, replies: [{ text: phrases.contentChanged }, this.conversation.menu()] };
    if (text.length > this.deps.maxMessageChars) return { state, replies: [{ text: phrases.tooLong }] };
    if (!READABLE.test(text) && !(state.tree && (this.yesOrNoWithoutWords(text) || PUZZLED.test(text)))) return { state, replies: [{ text: text === '' && hasAttachments ? phrases.nonText : phrases.empty }] };
    return this.conversation.respond(state, text);
  }

  /** "👍" to an open question is a yes (kb/bot.yaml `answers`); anywhere else it says nothing the bot can use. */
  private yesOrNoWithoutWords(text: string): boolean {
    const { yes, no } = this.deps.content.answers;
    const word = asOneWord(text);
    return word !== '' && [...yes, ...no].some((answer) => asOneWord(answer) === word);
  }
}

/** Longest name or first words a queue card carries: one line on the card, never a whole message. */
const CARD_TEXT_CHARS = 200;

/**
 * Only Teams vouches for a customer's name (Entra ID); a web chat page sends whatever name it
 * likes, so there the console shows the channel instead of a claimed name.
 */
function customerOf(turn: MessageTurn, transcript: readonly TranscriptLine[]): CaseCustomer {
  const first = transcript.find((line) => line.from === 'customer')?.text.slice(0, CARD_TEXT_CHARS);
  const name = turn.channel === 'teams' ? turn.from.name?.trim().slice(0, CARD_TEXT_CHARS) : undefined;
  return { ...(name ? { name } : {}), ...(first ? { firstWords: first } : {}) };
}

/** The case keeps the context; its lines stay in the transcript store. */
const contextOf = ({ transcript: _lines, ...context }: HandoffSummary): HandoffContext => context;

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** 5242880 → "5 MB", 1572864 → "1.5 MB": the limit as a customer reads it. */
const megabytes = (bytes: number): string => `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;

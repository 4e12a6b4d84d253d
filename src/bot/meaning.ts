import type { Content, Intent } from '../content/types.js';
import type { Recognition } from '../nlu/recognizer.js';
import type { AfterAnswer } from './afterAnswer.js';
import { A_PERSON_ASKED, ASKS_IF_NEEDED, ASKS_WHEN_SOMEONE_COMES, ASKS_WHO_ANSWERS, CONNECT_ME, QUESTION, questionClauses, requestParts, toldClauses } from './messageShape.js';
import { LEANS_TO, type Moves } from './moves.js';
import type { Outcome } from './outcome.js';
import type { ConversationState } from './state.js';

/** Commands that leave or restate the walk-through, and how sure the recogniser must be of one to beat a loose reading. */
const COMMANDS: ReadonlySet<string> = new Set(['cancel', 'restart', 'resume', 'handoff', 'goodbye', 'back', 'explain', 'progress']);
const SURE_COMMAND = 0.9;
/** "dont need a person", "no need for an agent", "i don't want to talk to anyone": a person declined. */
const DECLINES_PERSON = /\b(?:don'?t|do not|no|not)\s+(?:really\s+)?(?:need|want)\s+(?:to (?:talk|speak|chat) (?:to|with) )?(?:a |an |the )?(?:person|human|agent|someone|anyone|real person|people)\b|\bno need for (?:a |an )?(?:person|human|agent)\b/i;
/** "explain again how I check it's still restoring": the question after the request to explain. */
const EXPLAIN_WHAT = /\b(?:explain|tell me|go over|say)\b(?:\s+(?:that|it|again|once more|to me))*\s+((?:how|what|where|why|when|which)\b.+)$/i;
/** "Nothing works", "still not working", "none of it helped": told that the fixes failed. */
const NOTHING_WORKS = /\b(?:nothing|none of (?:it|them|this|that|these|those)|still not|not|never)\b(?:\s+\w+){0,2}?\s+(?:works?|working|worked|helps?|helped|helping|fixe[sd]|fixing)\b/i;
/** Commands whose words also ask about the restore: "do I have to start over?" is no "start over". */
const UNLESS_ASKED_IF_NEEDED: ReadonlySet<string> = new Set(['restart', 'cancel']);
/** How surely the one question of a message must name its topic to outweigh a whole matched less surely. */
const SURE_QUESTION = 0.9;
/** Words by which a question points back at what was told before it ("how do i restore it from icloud"). */
const POINTS_BACK = /\b(?:it|its|that|this|them|those|these|they|one|ones|there)\b/i;
/** "nvm dont wanna cancel", "no need to start over": a command the customer says they do not want. */
const REFUSES_COMMAND = /\b(?:don'?t|do not|no need to|never)\s+(?:(?:want|wanna|need|have)\s+(?:to\s+)?)?(?:cancel|stop|quit|start over|restart|reset)\b/i;
/** "restart it", "reboot my phone", "how do i restart": the device restarted, not the conversation. */
const RESTARTS_THE_DEVICE = /\b(?:restart|reboot)(?:ing)?\s+(?:it|my \w+|the (?:phone|device|iphone|ipad|ipod)|your \w+|this (?:phone|device|iphone|ipad|ipod))\b|\b(?:how (?:do|can|should|would) (?:i|you|we)|way to) (?:restart|reboot)\b/i;
/** Starting over said in so many words: "start over", "begin again", "from scratch", "reset", "new chat". */
const SAYS_START_OVER = /\b(?:over|again|afresh|fresh|scratch|beginning|top|start|reset|restart|new (?:chat|conversation))\b/i;
/** "Can I stop it?", "could we start it again?": asking whether something may be done, not telling the bot to do it. */
const ASKS_IF_ALLOWED = /\b(?:can|could|may)\s+(?:i|we)\s+(?:just\s+)?(?:stop|cancel|start|restart|pause)\b/i;
/**
 * How sure the recogniser must be that a part of a message asks for a person: "could I talk to
 * someone please" is 0.87, "let me talk to my husband first" 0.68.
 */
const SURE_REQUEST = 0.8;
/** "How do i know its not frozen": asking how to tell, which the "i don't know" of not following shares. */
const HOW_TO_TELL = /\bhow (?:do|can|would|will|should|could) (?:i|we|you|u) (?:know|tell|check|see)\b/i;
/** How sure the recogniser must be of the topic behind a question of how to tell. */
const TOLD_HOW = 0.35;
/** How sure the recogniser must be of the topic leading a question of how to tell that it is unsure of as a whole. */
const TOLD_HOW_LEADING = 0.5;
/** "Where is that stop thing exactly": where something is, which "where is that?" of not following shares; its thing must name a topic close behind. */
const WHERE_IS = /\bwhere (?:is|are|r|do i find|can i find|would i find)\b/i;
const NAMED_WHERE = 0.42;
/** An order to be put through leaves nothing else to mean: "yes put me through to them now" is 0.56 for its "now" and "them". */
const TOLD_TO_CONNECT = 0.5;

/** What reading a message whole needs: the content, the recogniser and the mood reader. */
export interface MeaningDeps {
  readonly content: Content;
  readonly recognize: (text: string) => Recognition;
  /** Whether a message says, in words no topic uses, that the customer is upset (src/nlu/mood.ts). */
  readonly upset: (text: string) => boolean;
}

/**
 * What a message means as a whole, in and outside a walk-through: the intent it is taken for, a
 * person asked for in one part of it, a command it surely gives. The readings of its words as an
 * answer to a step are elsewhere (readings.ts and the modules that use them).
 */
export class Meaning {
  constructor(
    private readonly deps: MeaningDeps,
    private readonly moves: Moves,
    private readonly afterAnswer: AfterAnswer,
  ) {}

  /**
   * The recognised intent, or frustration for an upset message no topic claims: the frustration
   * examples cannot hold every way of saying it ("so annoying", "what a joke"), and told "that's
   * outside what I can help with", an upset customer is told off as well.
   */
  meant(recognition: Recognition, text: string): Intent | undefined {
    // "Is this a real person?" shares "real person" with asking for one: asked who answers, the bot says what it is.
    const help = this.moves.intentFor('help');
    if (help && ASKS_WHO_ANSWERS.test(text) && recognition.candidates.slice(0, 2).some(({ intent }) => intent === help.id)) return help;
    const person = this.moves.intentFor('handoff');
    if (person && ASKS_WHEN_SOMEONE_COMES.test(text)) return person;
    const intent = this.moves.matched(recognition);
    const reworded = intent?.action === 'explain' ? this.notFollowingInWords(recognition, text) : undefined;
    if (reworded) return reworded;
    // "fine, how do i know its even still working then": asking how to tell, with a topic leading the
    // unsure whole, asks about that topic; its other words ("fine", "then") only sink the confidence.
    const leading = recognition.verdict === 'unsure' && HOW_TO_TELL.test(text) ? this.deps.content.intentById.get(recognition.candidates[0]?.intent ?? '') : undefined;
    if (leading && !leading.action && (recognition.candidates[0]?.confidence ?? 0) >= TOLD_HOW_LEADING) return leading;
    // "Can I stop it?", "and if i need to stop it?" ask whether the restore can or must be stopped, when
    // that topic is the runner-up well clear of the rest, however sure the recogniser is of the
    // command; without one, "can i cancel it" is the command, and "do i have to start over?" no command.
    const leader = this.deps.content.intentById.get(recognition.candidates[0]?.intent ?? '');
    const commandAsked = leader?.action !== undefined && UNLESS_ASKED_IF_NEEDED.has(leader.action);
    const ifNeeded = commandAsked && ASKS_IF_NEEDED.test(text);
    const asked = ifNeeded || (commandAsked && ASKS_IF_ALLOWED.test(text)) ? this.clearRunnerUp(recognition) : undefined;
    if (asked && !asked.action) return asked;
    if (ifNeeded) return undefined;
    if (leader?.action !== undefined && COMMANDS.has(leader.action) && REFUSES_COMMAND.test(text)) return undefined;
    // "Cool starting it" starts the restore, not the conversation over: starting over is said in so many words.
    // Nor is "whats the best way to restart it": the device restarted, the conversation kept.
    if (intent?.action === 'restart' && (!SAYS_START_OVER.test(text) || RESTARTS_THE_DEVICE.test(text))) return undefined;
    // "Can I stop it and do it later?" leans to goodbye on "later" alone, surely or not; asked, it is no
    // goodbye unless it says one. "What's a good film to watch tonight?" is then what the runner-up
    // says: out of scope. Nor is "tried everything nothing works", which shares only "everything"
    // with "that is everything": a customer telling that nothing works is not leaving.
    if (leader?.action === 'goodbye' && (QUESTION.test(text) || NOTHING_WORKS.test(text)) && !this.afterAnswer.saysGoodbye(text)) {
      const outside = intent?.action === 'goodbye' ? this.sureRunnerUp(recognition) : undefined;
      const topic = outside?.action === 'none' ? outside : this.askedAfterGoodbye(recognition, text);
      if (topic || intent?.action === 'goodbye') return topic;
    }
    if (intent && intent.action !== 'none') return intent;
    const frustration = this.moves.intentFor('frustration');
    // "So im screwed basically" leans to nothing much (0.42 for a screenshot, "screwed" read as "screen"):
    // a first guess below what the bot calls leaning to a topic claims no topic either, unless it asks
    // ("ugh. so the stuff ive done on it since yesterday is gone?").
    const leaning = (recognition.candidates[0]?.confidence ?? 0) >= LEANS_TO;
    const noTopic = recognition.verdict === 'out_of_scope' || intent !== undefined || recognition.candidates[0]?.intent === frustration?.id || (recognition.verdict === 'unsure' && !leaning && !QUESTION.test(text));
    // "Can I just restore it with itunes instead, icloud is being a pain": a question outside the bot
    // asks something, however upset; it is told the scope, not calmed.
    const askedOutside = QUESTION.test(text) && recognition.verdict === 'out_of_scope';
    if (!frustration || !noTopic || askedOutside || !this.deps.upset(text)) return intent;
    // "Landed in Dubai, bought a new iPhone here. It can't find my iCloud backup. Help, quick": the one
    // problem a clause surely names is walked through, not only calmed over.
    return this.problemBesideRequest(text) ?? frustration;
  }

  /**
   * The intent meant inside a walk-through. "Fibre 500mb and nothing else is using it" shares "nothing
   * else" with the goodbyes that answer "anything else?", which no step asks: there a goodbye says
   * one, or is sure.
   */
  meantInWalkThrough(recognition: Recognition, text: string): Intent | undefined {
    const intent = this.meant(recognition, text) ?? this.goBackFirst(text);
    return intent?.action === 'goodbye' && !this.afterAnswer.saysGoodbye(text) && recognition.confidence < SURE_COMMAND ? undefined : intent;
  }

  /**
   * "wait go back, what was the first thing you said": a message that opens with going back, the rest
   * saying why, goes back; read whole, it was unsure, and told it was out of scope.
   */
  private goBackFirst(text: string): Intent | undefined {
    const [first, ...rest] = toldClauses(text) ?? [];
    if (!first || rest.length === 0) return undefined;
    const intent = this.moves.matched(this.deps.recognize(first));
    return intent?.action === 'back' ? intent : undefined;
  }

  /** Whether `intent` is a command the recogniser is sure enough of to beat a loose reading of the message as an answer. */
  sureCommand(intent: Intent | undefined, recognition: Recognition): boolean {
    return intent?.action !== undefined && COMMANDS.has(intent.action) && recognition.confidence >= SURE_COMMAND;
  }

  /**
   * What a message taken for not following ("explain that again") says in words it shares with it:
   * "ok thx for explaining" thanks, with thanks close behind; "how do i know its not frozen" asks how
   * to tell (its "do i know" is "i don't know"), about the topic next in line; "where is that stop thing
   * exactly" asks where the thing it names is, a topic close behind.
   */
  private notFollowingInWords(recognition: Recognition, text: string): Intent | undefined {
    const [, next] = recognition.candidates;
    const thanks = this.moves.intentFor('thanks');
    if (thanks && next?.intent === thanks.id && this.afterAnswer.saysThanks(text) && !QUESTION.test(text)) return thanks;
    const topicOf = (id: string | undefined) => {
      const topic = this.deps.content.intentById.get(id ?? '');
      return topic && !topic.action ? topic : undefined;
    };
    if (HOW_TO_TELL.test(text)) {
      const told = recognition.candidates.slice(1, 4).find(({ intent, confidence }) => confidence >= TOLD_HOW && topicOf(intent));
      if (told) return topicOf(told.intent);
    }
    if (WHERE_IS.test(text) && next && next.confidence >= NAMED_WHERE) return topicOf(next.intent);
    // "can you explain again how I check it's still restoring?": what is to be explained, asked on its own, names the topic.
    const asked = EXPLAIN_WHAT.exec(text)?.[1];
    return asked ? topicOf(this.moves.matched(this.deps.recognize(asked))?.id) : undefined;
  }

  /**
   * "This restore is taking forever can I speak to someone": a person asked for in one part of a
   * message is asked for, whatever topic or answer the rest holds, or the topic's answer buries the
   * request. The topic goes with the handoff, for the person who takes the chat.
   */
  askedForPerson(state: ConversationState, text: string, intent: Intent | undefined): Outcome | undefined {
    const person = this.moves.intentFor('handoff');
    // "no dont need a person, ill try again tomorrow": a person declined is no person asked for.
    if (!person || DECLINES_PERSON.test(text)) return undefined;
    // Asked of a person, the thing to look at may lead ("can someone look at the screenshot"), a person close behind.
    const askedOfSomeone = (part: string) => A_PERSON_ASKED.test(part) && this.deps.recognize(part).candidates.slice(0, 2).some(({ intent, confidence }) => intent === person.id && confidence >= TOLD_TO_CONNECT);
    // "can i talk to a specialist": the whole message asks to be connected, the recogniser leaning to a person.
    const [leader] = CONNECT_ME.test(text) ? this.deps.recognize(text).candidates : [];
    const connectWhole = leader?.intent === person.id && leader.confidence >= TOLD_TO_CONNECT;
    const asked = askedOfSomeone(text) || connectWhole || requestParts(text).some((part) => {
      if (ASKS_WHO_ANSWERS.test(part)) return false;
      if (A_PERSON_ASKED.test(part)) return askedOfSomeone(part);
      const recognition = this.deps.recognize(part);
      const leading = recognition.verdict === 'match' ? recognition.intent : recognition.verdict === 'unsure' ? recognition.candidates[0]?.intent : undefined;
      return leading === person.id && recognition.confidence >= (CONNECT_ME.test(part) ? TOLD_TO_CONNECT : SURE_REQUEST);
    });
    // "cannot restore backup on ipad. dont want a bot just get me a human": the problem told beside the request is what the person picks up, or, with nobody there, what is walked through meanwhile.
    const told = intent && !intent.action ? intent : this.problemBesideRequest(text);
    return asked ? this.moves.act(told ? { ...state, lastIntent: told.id } : state, person) : undefined;
  }

  /** The one problem with a walk-through a clause of the message surely names, if any. */
  private problemBesideRequest(text: string): Intent | undefined {
    const named = new Set((toldClauses(text) ?? []).map((part) => this.moves.matched(this.deps.recognize(part))).filter((intent) => intent?.tree && !intent.action));
    return named.size === 1 ? [...named][0] : undefined;
  }

  /**
   * "I picked the wrong backup by accident, how do I cancel the restore": the story before a question
   * leaves the whole unsure, but its one question surely names the topic the whole leans to. "Is
   * there a way to see my icloud backups from my computer? my phone is dead atm": an aside the
   * recogniser is sure of nothing about tips the whole out of scope, when the question's topic is the
   * runner-up; an aside surely near the domain but outside it ("my samsung is broken") says the
   * question is there too, while one far from it ("my phone's in for repair atm") is only its setting.
   * A whole the recogniser matches less surely than the question is what its asides lean to.
   */
  askedPart(text: string, recognition: Recognition): Intent | undefined {
    const clauses = questionClauses(text) ?? [];
    const asked = clauses.filter((clause) => QUESTION.test(clause));
    const [only] = asked;
    const question = only !== undefined && asked.length === 1 ? this.deps.recognize(only) : undefined;
    const intent = question && only !== undefined ? this.meant(question, only) : undefined;
    if (!intent || intent.action) return undefined;
    // "still got an old iphone 4s on ios 7 as a spare. where do i see its icloud backups on that
    // version": the question names its topic surely, the whole only the topic its asides lean to.
    if (recognition.verdict === 'match') return recognition.intent !== intent.id && recognition.confidence < SURE_QUESTION && (question?.confidence ?? 0) >= SURE_QUESTION ? intent : undefined;
    const [first, second] = recognition.candidates;
    if (recognition.verdict !== 'out_of_scope') return first?.intent === intent.id ? intent : undefined;
    const { threshold } = this.deps.content.recognizer;
    const asides = clauses.filter((clause) => clause !== only);
    const setting = (aside: string) => {
      const heard = this.deps.recognize(aside);
      const named = this.deps.content.intentById.get(heard.candidates[0]?.intent ?? '');
      return heard.confidence < threshold || (heard.verdict === 'out_of_scope' && !named?.nearDomain);
    };
    // "accidentally deleted a whatsapp chat today, can i restore last nights icloud backup without
    // erasing my phone": a question that surely names its topic in words of its own, pointing back at
    // nothing its asides named, stands whatever they are about.
    const standsAlone = (question?.confidence ?? 0) >= SURE_QUESTION && !POINTS_BACK.test(only ?? '');
    return second?.intent === intent.id && (standsAlone || asides.every(setting)) ? intent : undefined;
  }

  /**
   * A question taken for a goodbye on its "later" alone is about the topic next in line, when that
   * stands clear of the rest: "can i stop it now and do it later" asks about stopping the restore,
   * and so does "quick q can i stop it and do it later", past the command its words ask about.
   */
  private askedAfterGoodbye(recognition: Recognition, text: string): Intent | undefined {
    const askedIfAllowed = ASKS_IF_ALLOWED.test(text);
    const inLine = recognition.candidates.filter(({ intent }) => {
      const action = this.deps.content.intentById.get(intent)?.action;
      return action !== 'goodbye' && !(askedIfAllowed && action !== undefined && UNLESS_ASKED_IF_NEEDED.has(action));
    });
    const topic = this.moves.clearLeader(inLine);
    return topic && !topic.action ? topic : undefined;
  }

  /**
   * The recogniser's second guess, when it stands well above the guesses after it: a command's words
   * asked as a question ("can i stop it tho") leave the topic asked about second, between 0.45 and a
   * match, with the rest near the floor of about 0.3.
   */
  private clearRunnerUp(recognition: Recognition): Intent | undefined {
    return this.moves.clearLeader(recognition.candidates.slice(1));
  }

  /** The recogniser's second guess, when it is as sure of it as of a match. */
  private sureRunnerUp(recognition: Recognition): Intent | undefined {
    const [, next] = recognition.candidates;
    return next && next.confidence >= this.deps.content.recognizer.threshold ? this.deps.content.intentById.get(next.intent) : undefined;
  }

  /** The recogniser's first guess, when it stands clear of the next (a match or not) and is a topic among `topics`. */
  clearlyAbout(recognition: Recognition, topics: readonly string[]): Intent | undefined {
    const leader = this.moves.clearLeader(recognition.candidates);
    return leader && !leader.action && topics.includes(leader.id) ? leader : undefined;
  }

  /** The recogniser's first guess, when it is unsure but that guess is one of `topics`. */
  unsureAbout(recognition: Recognition, topics: readonly string[]): Intent | undefined {
    const first = recognition.candidates[0];
    if (recognition.verdict === 'match' || !first || !topics.includes(first.intent)) return undefined;
    return this.deps.content.intentById.get(first.intent);
  }
}

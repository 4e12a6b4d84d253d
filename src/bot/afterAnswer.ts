import type { Content, Intent } from '../content/types.js';
import type { DialogEngine } from '../dialogs/engine.js';
import type { Recognition } from '../nlu/recognizer.js';
import { daysAgo } from './backupAge.js';
import { spaceAgainstBackup, withFigures } from './freeSpace.js';
import { CHECKS_MEANING, CONTRAST, correctionOf, PLANNED, QUESTION, REFERS_BACK, STILL_FAILING, UNTRIED, WHAT_TO_DO } from './messageShape.js';
import type { Moves } from './moves.js';
import { reset, type Outcome } from './outcome.js';
import { lastAsked, lastReplies, type ConversationState } from './state.js';
import { linesForVersionTold, versionsCompared, versionsInWords } from './versionsNamed.js';

/** What reading a message after an answer needs: the content, the walk-throughs, and where in an answer a question's words are. */
export interface AfterAnswerDeps {
  readonly content: Content;
  readonly engine: DialogEngine;
  /** The lines of an earlier answer a follow-up question asks about, none when it asks about something else (src/nlu/choiceReader.ts). */
  readonly linesAsked: (answer: string, text: string) => string[];
  /** The lines of an earlier answer that fit the case a customer tells, none when no line stands out (src/nlu/choiceReader.ts). */
  readonly linesTold: (answer: string, text: string) => string[];
}

/** The words that make a message a thank-you or a goodbye, whatever else it tells. */
const SIGN_OFF_WORDS: Readonly<Record<string, RegExp>> = {
  thanks: /\b(?:thanks|thank you|thank u|thx|ty|cheers|ta)\b/i,
  goodbye: /\b(?:bye|goodbye|cya|see ya|see you|gotta go|gotta run|gtg|g2g)\b/i,
};

/** "But i deleted them on tuesday…", "the newest is from after it got glitchy tho": the customer's case set against the answer just given. */
const PUSHES_BACK = /^\s*(?:but|except|only)\b|\b(?:tho|though)\b/i;
/** "Where do I find that", "where is it": asking where a setting is. */
const ASKS_WHERE = /\bwhere\b/i;
/** "And if it was off?", "what about on ios 7?": the last answer's case turned another way, in a few words. */
const FOLLOWS_ON = /^\s*(?:(?:and|but|so|ok|okay)[\s,]+){0,2}(?:what |how )?(?:if|about)\b/i;
const FOLLOW_ON_WORDS = 8;
/** "and in iOS 8…?", "what about ios 7?": a short question carrying the last answer on to another case. */
const FOLLOW_ON_OPENER = /^\s*(?:and|but|what about|how about)\b/i;
/** "Got it, where does it save": the answer taken in, before the question about it. */
const TAKEN_IN_FIRST = /^\s*(?:(?:ok(?:ay)?|got it|thanks|thx|cool|great|alright|right)[\s,.!]+)+/i;
/** A line that gives a path through the Settings app ("Settings > iCloud > Backup"). */
const MENU_PATH = /\bSettings\b\s*>/;

/** "The older one worked!!", "its restoring now": the advice tried, and it did the job. */
const WORKED = /\b(?:worked|did the (?:trick|job)|fixed it|sorted it|went through|(?:it'?s|its|it is|is) (?:restoring|working)(?: now| fine| again)?)\b/i;
const NOT_WORKED = /\b(?:not|never|nothing|n'?t|nt)\s+(?:\w+\s+){0,2}(?:worked|work(?:ing)?|restoring|fixed|sorted|went through|show(?:s|ing)?|appear(?:s|ing)?)\b/i;
/** "Backup shows up now": what was missing is there, news however surely its words name the topic of a missing backup. */
const NOW_FOUND = /\b(?:shows?|showing|showed)\s+up\s+now\b|\b(?:appears?|appearing|appeared)\s+now\b|\bnow\s+(?:it\s+)?(?:shows?|showing)\s+up\b|\bnow\s+(?:it\s+)?appears?\W*$/i;
/** Words of something still wrong beside what now shows: "shows up now but fails", "appears now, error again". */
const STILL_WRONG = /\b(?:fail\w*|error|cannot|can'?t|won'?t|stuck|still)\b/i;
/** "The backup was from friday", "my last backup is from 10 days ago": when the backup was made. */
const BACKUP_DATED = /\bbackup\s+(?:was|is|'s|were|dates)\s+(?:\w+\s+){0,2}(?:from|made|taken|done|dated|on)\b|\bbacked up (?:on|last|\d+|a|two|three|few)\b/i;
/** A topic the recogniser is this sure of is asked about, whatever the message says worked. */
const SURE_OTHER_TOPIC = 0.8;


/**
 * A message outside a walk-through read against the answer just given (the conversation's last
 * topic): a follow-up on a part of it, a question pointing back at it, or a thank-you for it. Each
 * method says when it applies and leaves the message to the next reading otherwise (undefined).
 */
export class AfterAnswer {
  constructor(
    private readonly deps: AfterAnswerDeps,
    private readonly moves: Moves,
  ) {}

  /**
   * "Freed up space but still the same error" after the storage answer: that answer is one step of a
   * walk-through, so the walk-through carries on from the step after it, rather than give the same
   * answer again or call the message out of scope. Only when the message says the problem is still
   * there and names no other topic than the answer's own or a walk-through's.
   */
  stepAfterAnswer(state: ConversationState, text: string, intent: Intent | undefined): Outcome | undefined {
    const { content, engine } = this.deps;
    const last = this.lastAnswer(state);
    const named = !intent || intent.id === last?.id || intent.tree !== undefined || intent.action === 'none' || intent.action === 'reopen';
    if (!last || last.tree || !named || QUESTION.test(text) || !STILL_FAILING.test(text)) return undefined;
    const trees = [...content.trees.values()].sort((a, b) => Number(b.id === intent?.tree) - Number(a.id === intent?.tree));
    for (const tree of trees) {
      const node = Object.values(tree.nodes).find((each) => each.about.includes(last.id) && each.choices?.some((choice) => choice.means === 'no'));
      const at = node ? engine.start(tree.id, node.id) : undefined;
      if (!node || at?.status !== 'waiting') continue;
      const [topic] = this.moves.topicsOf(tree.id);
      const carried = this.moves.answerNo({ ...reset(state), tree: at.state, ...(topic ? { lastIntent: topic } : {}) }, at.state);
      if (carried) return { ...carried, replies: [{ text: content.phrases.stillFailingAfterAnswer.replace('{tree}', tree.title) }, ...carried.replies] };
    }
    return undefined;
  }

  /**
   * "The one from 2 days ago worked!! its restoring now" after the answer on which backup to pick:
   * news that the advice worked, heard as such rather than as the topic its "restoring" leans to
   * (a slow restore). Not when it asks, sets a "but" against it, or says something still fails.
   */
  workedAfterAnswer(state: ConversationState, text: string, recognition: Recognition): Outcome | undefined {
    const last = this.lastAnswer(state);
    const found = NOW_FOUND.test(text) && !STILL_WRONG.test(text);
    if (!last || QUESTION.test(text) || CONTRAST.test(text) || STILL_FAILING.test(text) || NOT_WORKED.test(text) || !(WORKED.test(text) || found)) return undefined;
    if (!found && recognition.verdict === 'match' && recognition.confidence >= SURE_OTHER_TOPIC && recognition.intent !== last.id) return undefined;
    return { state: { ...state, fallbacks: 0 }, replies: [{ text: this.deps.content.phrases.workedAfterAnswer }] };
  }

  /**
   * "Ok cool starting it", "trying it now" after an answer: the customer goes off to do what it said,
   * which asks nothing; wished luck, not asked "did you mean…?". Not beside a topic the recogniser is sure of.
   */
  plannedAfterAnswer(state: ConversationState, text: string, recognition: Recognition): Outcome | undefined {
    const topic = recognition.verdict === 'match' ? this.deps.content.intentById.get(recognition.intent ?? '') : undefined;
    // "Ill go to the library wifi and bring a charger" after the Wi-Fi answer is about that answer's own topic.
    const last = this.lastAnswer(state);
    if (!last || QUESTION.test(text) || !PLANNED.test(text) || (topic && !topic.action && topic.id !== last.id)) return undefined;
    return { state: { ...state, fallbacks: 0 }, replies: [{ text: this.deps.content.phrases.nothingElse }] };
  }

  /**
   * "Where in settings do I find that?" after an answer: the part of that answer it asks about,
   * rather than "which part is unclear?" when the customer has said which.
   */
  quoteLastAnswer(state: ConversationState, text: string): Outcome | undefined {
    const { content } = this.deps;
    const last = this.lastAnswer(state);
    const asked = last ? this.deps.linesAsked(last.answer, text.replace(TAKEN_IN_FIRST, '')) : [];
    // "Where do I find that?" names nothing of the answer but asks for where: its menu paths.
    const paths = last && asked.length === 0 && ASKS_WHERE.test(text) && REFERS_BACK.test(text) ? last.answer.split('\n').filter((line) => MENU_PATH.test(line)) : [];
    const lines = [...asked, ...paths].map((line) => line.trim());
    return this.quoted(state, content.phrases.fromLastAnswer, lines);
  }

  /**
   * "I dont have the icloud photo library beta on", right after the photos answer: the customer's own
   * case, told in the answer's words, gets the answer's line for that case, not the whole answer again.
   * So does one no topic claims ("also a couple of my apps didnt show up" after the answer on restoring
   * to another device), which read alone was out of scope.
   */
  caseOfLastAnswer(state: ConversationState, text: string, intent: Intent | undefined): Outcome | undefined {
    const last = this.lastAnswer(state);
    if (!last || last.tree || (intent !== undefined && intent.id !== last.id) || QUESTION.test(text)) return undefined;
    const lines = this.deps.linesTold(last.answer, text);
    return this.quoted(state, this.deps.content.phrases.caseFromLastAnswer, lines);
  }

  /**
   * "it says 3.2 GB available and the backup is 14 GB" after the answer on storage: whether the backup
   * fits, worked out from the two figures, rather than a walk-through started on words of them.
   */
  spaceAgainstAnswer(state: ConversationState, text: string): Outcome | undefined {
    const told = this.lastAnswer(state)?.freeSpace ? spaceAgainstBackup(text) : undefined;
    if (!told) return undefined;
    const { phrases } = this.deps.content;
    return { state, replies: [{ text: withFigures(told.fits ? phrases.backupFits : phrases.backupTooBig, told) }] };
  }

  /**
   * "the ipad backup was made on ios 8.1 and the phone shows 8.0.2, does that matter" after an answer
   * that gives the version rule (the same or a later iOS than made the backup): what it means for the
   * two versions told, asked or not, which the lines about one version alone would not say.
   */
  versionsAgainstAnswer(state: ConversationState, text: string): Outcome | undefined {
    const last = this.lastAnswer(state);
    const told = last ? versionsCompared(last.answer, text, lastAsked(state)) : undefined;
    return told ? { state, replies: [{ text: versionsInWords(told, this.deps.content.phrases) }] } : undefined;
  }

  /**
   * "theres no storage option, im on ios 7" after an answer that gives iOS 7 its own way: those lines,
   * whatever the version leans to (updating iOS), unless a problem with a walk-through is told.
   */
  versionOfLastAnswer(state: ConversationState, text: string, intent: Intent | undefined): Outcome | undefined {
    const last = this.lastAnswer(state);
    // Asked, only as a follow-on: "and in iOS 8 how it is?", "what about ios 7?".
    const followOn = FOLLOW_ON_OPENER.test(text) && text.trim().split(/\s+/).length <= FOLLOW_ON_WORDS;
    if (!last || last.tree || intent?.tree !== undefined || (QUESTION.test(text) && !followOn)) return undefined;
    const lines = linesForVersionTold(last.answer, text);
    return this.quoted(state, this.deps.content.phrases.forYourVersion, lines);
  }

  /** Lines of the last answer after a lead, when there are any. */
  private quoted(state: ConversationState, lead: string, lines: readonly string[]): Outcome | undefined {
    return lines.length > 0 ? { state, replies: [{ text: lead }, { text: lines.join('\n\n') }] } : undefined;
  }

  /**
   * "the backup was from friday i think" after an answer that says what a backup's date means (you get
   * back only what was saved then): the lines on the date, for the customer's case, not "did you mean".
   */
  backupDateTold(state: ConversationState, text: string, intent: Intent | undefined): Outcome | undefined {
    const last = this.lastAnswer(state);
    if (!last || last.tree || (intent !== undefined && intent.id !== last.id) || QUESTION.test(text) || !BACKUP_DATED.test(text)) return undefined;
    const lines = last.answer.split('\n').filter((line) => /\bdate\b/i.test(line)).map((line) => line.trim());
    return this.quoted(state, this.deps.content.phrases.caseFromLastAnswer, lines);
  }

  /**
   * "And if it was off?" after an answer that tells both cases: the lines of that answer with its
   * words, whatever topic a word of it leans to alone ("off" to restarting the device).
   */
  followsOn(state: ConversationState, text: string): Outcome | undefined {
    const short = text.trim().split(/\s+/).length <= FOLLOW_ON_WORDS;
    return short && QUESTION.test(text) && FOLLOWS_ON.test(text) ? this.quoteLastAnswer(state, text) : undefined;
  }

  /**
   * "So theyre not lost?", "ok so i just leave it be?": checking what the last answer meant, which no
   * topic claims ("explain" at most), is answered by that answer again, not "sorry that didn't help".
   */
  checkedAgainstAnswer(state: ConversationState, text: string): Outcome | undefined {
    const last = this.lastAnswer(state);
    if (!last || last.tree || !QUESTION.test(text) || !CHECKS_MEANING.test(text)) return undefined;
    return { state, replies: [{ text: this.deps.content.phrases.againAfterAnswer }, { text: last.answer }] };
  }

  /**
   * "So are they on my old phone then?" after an answer: a question pointing back at it, which no
   * topic claims, may be about it, as inside a walk-through a question pointing back at the step
   * is. The scope is said and the answer given again, rather than "outside what I can help with".
   * One the recogniser is unsure of ("wait will that delete the stuff ive put on it") gets the answer
   * again without the scope, rather than topics it may not mean. So does a "but" or "tho" that pushes
   * back on the answer ("but i deleted texts on tues and the newest is from wed"), or a mind changed
   * ("actually scrap that, the latest one then"), its topic one of the recogniser's two guesses.
   */
  backAtAnswer(state: ConversationState, text: string, recognition: Recognition): Outcome | undefined {
    const { content } = this.deps;
    const last = this.lastAnswer(state);
    const { verdict } = recognition;
    const pointsBack = QUESTION.test(text) && REFERS_BACK.test(text);
    const pushesBack = (PUSHES_BACK.test(text) || correctionOf(text) !== undefined) && recognition.candidates.slice(0, 2).some((candidate) => candidate.intent === last?.id);
    // Right after a walk-through ended, its last step is the answer pointed back at ("so its gone for good??" after "the backups may have been deleted").
    const answer = last?.tree ? this.endedOn(state, last.tree) : last?.answer;
    // "march was like 8 months ago if that matters", after a walk-through that checks how long ago ended on it: more of the
    // time it was read for. Not a time within the check's days ("it backed up yesterday tho"), which would take the end back.
    const told = daysAgo(text);
    const timeAgain = last?.tree !== undefined && told !== undefined && Object.values(this.deps.content.trees.get(last.tree)?.nodes ?? {}).some((node) => node.age !== undefined && told > node.age.days);
    if (!answer || (verdict !== 'out_of_scope' && verdict !== 'unsure') || !(pointsBack || pushesBack || timeAgain)) return undefined;
    const before = verdict === 'out_of_scope' && !timeAgain ? content.phrases.unsureAfterAnswer : content.phrases.againAfterAnswer;
    return { state, replies: [{ text: before }, { text: answer }], events: [{ kind: 'unplaced', why: verdict, text }] };
  }

  /**
   * "Ok so what should I try first then?" after an answer that points to a walk-through ("say Cannot
   * Restore Backup and I'll go through them with you"): that walk-through, started, rather than
   * "which part was unclear?". So does "no i havent tried anything yet": none of its steps tried, they
   * are all still to go. Only when the message names no topic of its own.
   */
  walkThroughNext(state: ConversationState, text: string, intent: Intent | undefined): Outcome | undefined {
    const next = this.walkThroughAfter(state);
    if (!next || !(WHAT_TO_DO.test(text) || this.nothingTried(state, text)) || (intent !== undefined && intent.action !== 'explain')) return undefined;
    return this.moves.startTopic(reset(state), next, text);
  }

  /** Whether a message says none of the steps the last answer points to were tried ("havent tried anything yet"): no rating of that answer. */
  nothingTried(state: ConversationState, text: string): boolean {
    return !QUESTION.test(text) && UNTRIED.test(text) && this.walkThroughAfter(state) !== undefined;
  }

  /** The walk-through the last answer points to (its first follow-up with one), if any. */
  walkThroughAfter(state: ConversationState): Intent | undefined {
    return this.lastAnswer(state)?.followUps.map((id) => this.deps.content.intentById.get(id)).find((followUp) => followUp?.tree !== undefined);
  }

  /** Whether a message says thanks in so many words. */
  saysThanks(text: string): boolean {
    return SIGN_OFF_WORDS.thanks?.test(text) ?? false;
  }

  /** Whether a message says goodbye in so many words, not only in words a goodbye's examples share ("later"). */
  saysGoodbye(text: string): boolean {
    return SIGN_OFF_WORDS.goodbye?.test(text) ?? false;
  }

  /**
   * "All restored and working again, just saying thanks": the story around a thank-you
   * or a goodbye leaves the recogniser unsure, but the word itself says what the message is, when
   * it leans that way (its first or second guess) and neither asks nor takes anything back ("thanks
   * but it failed again"): "ok leaving it alone then. cheers" is as near a goodbye as a thank-you.
   */
  signedOff(recognition: Recognition, text: string): Intent | undefined {
    if (recognition.verdict !== 'unsure' || QUESTION.test(text) || CONTRAST.test(text)) return undefined;
    const leanings = recognition.candidates.slice(0, 2).map((candidate) => this.deps.content.intentById.get(candidate.intent));
    return leanings.find((leaning) => leaning?.action !== undefined && SIGN_OFF_WORDS[leaning.action]?.test(text));
  }

  /** The last step of walk-through `tree` when the bot's last reply was it, the walk-through just ended. */
  private endedOn(state: ConversationState, tree: string): string | undefined {
    const said = state.tree || state.suspended ? undefined : lastReplies(state).at(-1)?.trim();
    const ends = Object.values(this.deps.content.trees.get(tree)?.nodes ?? {}).filter((node) => node.end);
    return said !== undefined && ends.some((node) => node.say.trim() === said) ? said : undefined;
  }

  /**
   * The topic last answered, not a command ("help", "thanks") the bot carried out, with the answer as
   * it was said: its running-restore version, when that was given, so that a follow-up is never read
   * against (or quoted) the general answer's erase-first case the customer was told does not apply.
   */
  private lastAnswer(state: ConversationState): Intent | undefined {
    const last = state.lastIntent ? this.deps.content.intentById.get(state.lastIntent) : undefined;
    if (!last || last.action) return undefined;
    return last.whileRestoring !== undefined && lastReplies(state).includes(last.whileRestoring) ? { ...last, answer: last.whileRestoring } : last;
  }
}

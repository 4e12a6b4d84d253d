import type { Intent } from '../content/types.js';
import type { TreeState } from '../dialogs/engine.js';
import type { Recognition } from '../nlu/recognizer.js';
import type { AfterAnswer } from './afterAnswer.js';
import type { Meaning } from './meaning.js';
import { afterWhenScene, asksToGoOn, beforeGoOn, CONCEDED, lastSentence, QUESTION, questionClauses, RESTORE_RUNNING, storyClauses, toldClauses, withoutToldAhead } from './messageShape.js';
import { LEANS_TO, type Moves } from './moves.js';
import { reset, withoutFeedback, type Outcome } from './outcome.js';
import type { PartedAnswers } from './partedAnswers.js';
import { readAt, readsNoAt, SURE_READING, type ReadingDeps } from './readings.js';
import { lineTold, phraseForLine } from './connectionSpeed.js';
import { asksTimeForSize, rateOnTheLine, sizeInGigabytes, tellsElapsed, tellsRunningFor, tellsRunningLong, tellsTimeOrSize } from './restoreEstimate.js';
import type { ConversationState } from './state.js';
import type { ToldSteps } from './toldSteps.js';

/** What reading a message outside a walk-through needs beyond the parts': whether it is only a yes or a no. */
export interface OutsideWalkThroughDeps extends ReadingDeps {
  /** Whether a message is only a yes ("ok" too) or a no, with a courtesy at most (src/nlu/choiceReader.ts). */
  readonly bareAnswer: (text: string) => 'yes' | 'no' | undefined;
  /** Whether a message only acknowledges ("ok", "ok thx"), no yes to a question (src/nlu/choiceReader.ts). */
  readonly acknowledges: (text: string) => boolean;
}

/** How many of the whole message's first candidates a topic named in one clause of a story must be among. */
const LEANING = 4;
/** A whole matched below this, told in this many clauses or more, is read clause by clause like an unsure one. */
const BARE_MATCH = 0.7;
/** "Apps are there", "everything else came back", "restore finished": what went well, no problem of its own. */
const NO_TROUBLE = /(?<!\b(?:none|nothing|not|never|isn'?t|aren'?t|hasn'?t|haven'?t|didn'?t)\b.{0,30})(?:\b(?:is|are|was|were)\s+(?:all\s+)?(?:there|here|fine|back)\b|\b(?:came|come)\s+back\b)|^\s*(?:the\s+|my\s+)?(?:restore|restoring|it)\s+(?:is\s+|has\s+|was\s+)?(?:finished|done|completed|complete)[\s.!]*$/i;
const STORY_CLAUSES = 4;
/** "should i?", "right?": a question about the clause before it. */
const QUESTION_TAIL = /^\s*(?:should i|shall i|can i|right|yeah|ok|okay|or not|is that ok|good idea)\s*\?+\s*$/i;
/** More questions than this in one story are not answered one by one. */
const MAX_ASKED_IN_STORY = 2;
/** What follows a clause that a "but" sets against the next one. */
const BUT_AFTER = /^[\s,]*but\b/i;
/** What follows a clause joined to the next by "and" or "but". */
const AND_AFTER = /^[\s,]*(?:and|but)\b/i;
/** "restoring my backup from the uk": what the customer is doing, the scene of the problem told next. */
const DOING_THE_RESTORE = /^\s*(?:(?:i'?m|im|i am|we'?re|was|been)\s+)?(?:trying\s+to\s+restore|restoring)\b/i;
/** The restore named: "restoring", "the restore", "restored". */
const RESTORING = /\brestor/i;

/** The clauses of the sentence of `text` that holds `clause`: what a tail question ending that sentence asks about. */
function sentenceOf(text: string, clause: string): string[] {
  const sentence = text.split(/(?<=[.!?])\s+/).find((part) => part.includes(clause)) ?? clause;
  return storyClauses(sentence).filter((part) => part !== clause);
}
/** How surely, and how much more surely than any other, one clause of a story must name a problem for it to be the story's. */
const SURE_PROBLEM = 0.85;
const PROBLEM_MARGIN = 0.1;

/** Reads a message inside the walk-through it answers (conversation.ts's reading of a step). */
export type AnswerInTree = (state: ConversationState, tree: TreeState, text: string, recognition: Recognition) => Outcome;

/** "has no date and no size shown", "no size or date next to it", "without a date": a backup listed without what a finished one shows. */
const SHOWS_NO_SIZE = /\b(?:no|without)\s+(?:a\s+)?(?:date|size)\b/i;

/** "after he wiped it", "i erased it", "factory reset my ipad": the device told as already erased. */
const ERASED = /\b(?:wiped|erased|factory[\s-]?reset)\s+(?:it|my|the|his|her|their|our)\b|\b(?:wiped|erased|reset)\s+(?:it\s+)?(?:already|yesterday|earlier|last night)\b/i;

/**
 * A message when no walk-through is open, top to bottom: a person asked for, a bare yes or no to
 * what the bot asked, a kept walk-through resumed or answered, a fixed problem come back, a
 * follow-up on the answer just given, then a topic (or several, or one with steps already tried),
 * and the fallback when nothing is understood.
 */
export class OutsideWalkThrough {
  constructor(
    private readonly deps: OutsideWalkThroughDeps,
    private readonly moves: Moves,
    private readonly meaning: Meaning,
    private readonly parts: PartedAnswers,
    private readonly told: ToldSteps,
    private readonly afterAnswer: AfterAnswer,
    private readonly answerInTree: AnswerInTree,
  ) {}

  respond(state: ConversationState, text: string, recognition: Recognition): Outcome {
    const { content } = this.deps;
    // Out of scope, or matched less surely than its one question, the question is what the message means.
    const outside = recognition.verdict === 'out_of_scope';
    const whole = (outside || recognition.verdict === 'match' ? this.meaning.askedPart(text, recognition) : undefined) ?? this.meaning.meant(recognition, text) ?? this.afterAnswer.signedOff(recognition, text);
    const intent = whole ?? (outside ? undefined : this.meaning.askedPart(text, recognition));
    const person = this.meaning.askedForPerson(state, text, intent);
    if (person) return person;
    // "the newest one has no date and no size shown, the one under it is from sunday": told of a backup
    // in the list, outside a walk-through that reads it, that backup never finished and cannot be used.
    if (!intent?.tree && !QUESTION.test(text) && SHOWS_NO_SIZE.test(text)) return { state, replies: [{ text: content.phrases.incompleteBackup }] };
    const { suspended, reopen } = state;
    // "No thanks" to "anything else?", "ok" to "shall we carry on?": what the bot asked, answered.
    // "makes sense, thank you!" takes the answer in and thanks for it: no yes to "anything else?".
    const bare = this.deps.bareAnswer(text);
    if (bare && !(bare === 'yes' && intent?.action === 'thanks' && this.deps.acknowledges(text))) return this.moves.bareAnswer(state, bare);
    // "Start over" shares "over" with "way over that": a command the recogniser is sure of is never
    // read as an answer to a kept step, nor as the problem back after one that worked.
    const command = this.meaning.sureCommand(intent, recognition);
    if (suspended) {
      // "ok cheers. whats next", "ok fine. what else then" after the side question's answer: on with the walk-through, no thanks to take.
      const before = beforeGoOn(text);
      const goOn = asksToGoOn(text) && (before === undefined || this.deps.acknowledges(before) || CONCEDED.test(before));
      if (goOn || intent?.action === 'resume' || (intent?.tree && intent.tree === suspended.tree)) return this.moves.resume(state);
      const reading = command ? null : readAt(this.deps, suspended, text);
      if (reading && reading.score >= SURE_READING) return this.told.pastToldSteps(suspended, this.moves.advance({ ...state, tree: suspended }, this.deps.engine.choose(suspended, reading.index)), text);
      // "also im in a hotel in portugal, i made the backup at home. does that matter": the kept step answered, and whether it matters.
      const mattered = command ? undefined : this.parts.answerThenIfItMatters({ ...state, tree: suspended }, suspended, text);
      if (mattered) return mattered;
      // Words about the kept step's own subject ("the wifi's fine") answer that step, as if never left.
      // So does a question the recogniser is unsure of but leans to that subject first ("can i take
      // pics in the meantime" at "are you travelling?"), as it would be with the step open.
      const about = this.deps.engine.aboutAt(suspended);
      const unsureOnSubject = !intent && QUESTION.test(text) && this.meaning.unsureAbout(recognition, about) !== undefined;
      if ((intent && about.includes(intent.id)) || unsureOnSubject) {
        const { suspended: _back, ...rest } = state;
        return this.answerInTree({ ...rest, tree: suspended }, suspended, text, recognition);
      }
      if (intent && !intent.action) return this.moves.sideQuestion(state, suspended, intent, text);
    }
    if (reopen && (intent?.action === 'reopen' || (intent?.tree && intent.tree === reopen.tree) || (!command && readsNoAt(this.deps, reopen, text)))) {
      const reopened = this.moves.answerNo({ ...state, tree: reopen }, reopen);
      if (reopened) return { ...reopened, replies: [{ text: content.phrases.reopened }, ...reopened.replies] };
    }
    const figures = command ? undefined : (this.afterAnswer.versionsAgainstAnswer(state, text) ?? this.afterAnswer.spaceAgainstAnswer(state, text));
    if (figures) return figures;
    // "ipad wont finish restoring, keeps erroring out. and before u ask the wifi is fine": what is told
    // ahead is steps of the problem, not a topic of its own ("wifi"); the rest surely names the problem,
    // whose walk-through goes past what was told when it gets there.
    const matter = command ? undefined : withoutToldAhead(text);
    const problem = matter === undefined ? undefined : this.moves.matched(this.deps.recognize(matter));
    if (problem?.tree && !problem.action) return this.told.startedPastDone(state, problem, text) ?? this.moves.startTopic(reset(state), problem, text);
    const carried = command ? undefined : this.afterAnswer.stepAfterAnswer(state, text, intent);
    if (carried) return carried;
    const worked = intent?.action ? undefined : (this.afterAnswer.workedAfterAnswer(state, text, recognition) ?? this.afterAnswer.plannedAfterAnswer(state, text, recognition));
    if (worked) return worked;
    // "It's been like 3 hrs and the backup is about 6gb": a time and a size ask how long a restore
    // takes, whichever topic the other words ("backup") lean to.
    const rated = intent?.action ? undefined : this.moves.ratedWalkThrough();
    // Not when a part giving neither surely names another problem with a walk-through ("took 9 hrs for 4gb but my ipad says no backups").
    const otherProblem = (tree: string | undefined) => (toldClauses(text) ?? []).some((part) => {
      const named = tellsTimeOrSize(part) ? undefined : this.moves.matched(this.deps.recognize(part));
      // Never the already-set-up topic in a message telling the restore running ("new iphone is restoring"): it is no answer to one.
      return named?.tree !== undefined && named.tree !== tree && !named.action && !(named.notWhileRestoring && RESTORE_RUNNING.test(text));
    });
    if (rated && (tellsElapsed(text) || asksTimeForSize(text)) && !otherProblem(rated.tree)) return this.moves.startTopic(reset(state), rated, text);
    // "the backup is 60 GB if that matters" right after the answer on a running restore: how long that size takes.
    const runningTopic = state.lastIntent ? content.intentById.get(state.lastIntent)?.underway === true : false;
    if (rated && runningTopic && sizeInGigabytes(text) !== undefined && (!intent || intent.action !== undefined) && !otherProblem(rated.tree)) return this.moves.startTopic(reset(state), rated, text);
    // "got a new iphone and already started the restore from icloud, its been 15 hrs already": a
    // restore running that long is underway and slow, never a device to erase first, however surely
    // "already" and "new phone" lean to the already-set-up topic.
    if (rated && intent?.notWhileRestoring && tellsRunningFor(text) && RESTORING.test(text)) return this.moves.startTopic(reset(state), rated, text);
    // "new iphone is restoring from icloud and its crawling. will it finish??": a restore told running, the
    // whole leaning first to the slow-restore topic without reaching it, is a slow restore.
    const leansSlow = !intent && recognition.verdict === 'unsure' && recognition.candidates[0]?.intent === rated?.id && RESTORE_RUNNING.test(text);
    if (rated && leansSlow && !otherProblem(rated.tree)) return this.moves.startTopic(reset(state), rated, text);
    // "trying to set my son's ipad back up after he wiped it. … no backups to pick from": a device told
    // erased is being set up, no device already set up to erase first; the topic close behind is meant.
    const [, runnerUp] = recognition.candidates;
    const behind = runnerUp && runnerUp.confidence >= LEANS_TO ? content.intentById.get(runnerUp.intent) : undefined;
    if (intent?.notWhileRestoring && ERASED.test(text) && behind && !behind.action && !behind.notWhileRestoring) return this.moves.startTopic(reset(state), behind, text);
    // "yeah its greyed out and theres a stop restoring button. its been like that since yesterday tho":
    // told after an answer, in its words or none, a restore running that long is a slow one, not that answer again.
    const sameAgain = intent === undefined || (intent.id === state.lastIntent && intent.id !== rated?.id);
    if (rated && state.lastIntent && sameAgain && !QUESTION.test(text) && tellsRunningLong(text)) return this.moves.startTopic(reset(state), rated, text);
    // "My internet is 500mbps fibre tho" after the rate was given: it holds even on a fast line; "its only
    // 10mbps": on a slow one it takes longer.
    const answered = state.lastIntent ? content.intentById.get(state.lastIntent) : undefined;
    const onItsOwn = !intent || (!intent.action && !intent.tree);
    const line = answered && onItsOwn ? lineTold(text) : undefined;
    const rate = answered && line ? rateOnTheLine(answered, phraseForLine(line, content.phrases)) : undefined;
    if (rate) return { state, replies: [rate] };
    const walked = (command ? undefined : (this.afterAnswer.followsOn(state, text) ?? this.afterAnswer.caseOfLastAnswer(state, text, intent) ?? this.afterAnswer.backupDateTold(state, text, intent) ?? this.afterAnswer.versionOfLastAnswer(state, text, intent))) ?? this.afterAnswer.walkThroughNext(state, text, intent);
    if (walked) return walked;
    // "But ive done everything. other backups, wifi, storage, restart, updated ios" after an answer
    // pointing to a walk-through: that walk-through, past the steps told as tried, whatever one of
    // them leans to ("updated ios").
    const pointedTo = intent?.action ? undefined : this.afterAnswer.walkThroughAfter(state);
    const pastTold = pointedTo ? this.told.startedPastDone(state, pointedTo, text) : undefined;
    if (pastTold) return pastTold;
    // "Do I need to plug it in or anything before?": a question no topic surely claims, in the last answer's own words, is about it.
    const unclaimed = intent?.action === 'explain' || (!intent && QUESTION.test(text));
    const quoted = unclaimed ? (this.afterAnswer.quoteLastAnswer(state, text) ?? this.afterAnswer.checkedAgainstAnswer(state, text)) : undefined;
    if (quoted) return quoted;
    if (intent?.action === 'resume') return { state, replies: [{ text: content.phrases.nothingToResume }, this.moves.menu()] };
    if (intent?.action === 'reopen') {
      // "RESTORE FAILED AGAIN ON MY IPHONE 14" with nothing fixed here to come back: the problem with a
      // walk-through the recogniser leans to beside "again" is walked through, rather than asked which it is.
      const named = this.moves.leanedTo(recognition).map((id) => content.intentById.get(id)).find((topic) => topic?.tree !== undefined && !topic.action);
      return named ? this.moves.startTopic(reset(state), named, text) : { state: reset(state), replies: [{ text: intent.answer }, this.moves.menu()] };
    }
    // "nah forget it. so the texts from those 6 days are just gone?": with nothing open to cancel, the question after it is the message.
    const asked = intent?.action === 'cancel' && !state.tree && !state.suspended ? lastSentence(text) : undefined;
    if (asked !== undefined && asked !== text && QUESTION.test(asked)) return this.respond(state, asked, this.deps.recognize(asked));
    if (intent?.action && intent.action !== 'none') return this.moves.act(state, intent);
    // Two questions in one message often leave the whole between their two topics ("ambiguous"):
    // the leader still names one of the clauses' topics.
    const leader = intent ?? (recognition.verdict === 'ambiguous' ? content.intentById.get(recognition.candidates[0]?.intent ?? '') : undefined);
    // A story around the problem is read clause by clause before its first problem, or its one
    // question, is taken for the whole.
    const story = whole && (whole.action || recognition.confidence >= BARE_MATCH) ? undefined : (this.problemAfterScene(state, text, recognition) ?? this.problemInStory(state, text, recognition));
    if (story) return story;
    // "Cant restore backup. before you ask ive already restarted it twice": a problem told beside
    // steps of it tried is that problem, whatever the whole leans to ("already" is the already-set-up topic's word).
    const past = this.told.startedPastDone(state, leader ?? this.told.problemPart(text), text) ?? (leader && !leader.action ? this.told.problemWithStepsTried(state, text) : undefined) ?? (leader ? undefined : this.told.walkThroughListed(state, text));
    if (past) return past;
    const several = leader && !leader.action ? this.severalQuestions(state, text, leader) : undefined;
    if (several) return several;
    const beside = this.problemBesideAnother(state, text, intent) ?? this.problemBesideOutside(state, text, recognition);
    if (beside) return beside;
    if (intent) return this.moves.startTopic(reset(state), intent, text);
    return this.afterAnswer.backAtAnswer(state, text, recognition) ?? this.moves.fallback(state, recognition, text);
  }

  /**
   * "How long does a restore take and can I use my phone meanwhile?": each clause surely a topic of
   * its own, one of them the whole message's, gets each answer, a walk-through (at most one) last so
   * its question is what stays open. Feedback is asked for the last answer only.
   */
  private severalQuestions(state: ConversationState, text: string, whole: Intent): Outcome | undefined {
    const clauses = questionClauses(text);
    if (!clauses) return undefined;
    const topics = clauses.map((clause) => ({ clause, intent: this.moves.matched(this.deps.recognize(clause)) }));
    const ids = new Set(topics.map(({ intent }) => intent?.id));
    // Only a walk-through's clause may be told rather than asked ("my restore is slow"): "before you ask
    // I've already restarted it" is no question about a device already set up, whose answer is to erase it.
    const asked = topics.every(({ clause, intent }) => intent?.tree !== undefined || QUESTION.test(clause));
    const sure = asked && topics.every(({ intent }) => intent && !intent.action) && ids.size === topics.length && ids.has(whole.id);
    if (!sure || topics.filter(({ intent }) => intent?.tree).length > 1) return undefined;
    const answered = topics.flatMap(({ clause, intent }) => (intent && !intent.tree ? [{ clause, intent }] : []));
    const problem = topics.find(({ intent }) => intent?.tree);
    return this.answeredThen(state, answered, problem?.intent && ((at) => this.moves.startTopic(withoutFeedback(at.state), problem.intent as Intent, problem.clause)));
  }

  /**
   * "cannot restore backup on my daughters iphone 11, we really need her photos back": a problem with
   * a walk-through told in one clause, beside words the whole leans to a topic without one for, is
   * that problem; told, those words ask nothing. Asked ("already tried the older backups and my wifi.
   * is that fonelab program legit?"), their answer comes first, then the walk-through, past the steps told as tried.
   */
  private problemBesideAnother(state: ConversationState, text: string, whole: Intent | undefined): Outcome | undefined {
    const clauses = toldClauses(text);
    if (!whole || whole.tree || whole.action || !clauses) return undefined;
    const named = clauses.map((clause) => {
      const recognized = this.deps.recognize(clause);
      return { clause, intent: this.moves.matched(recognized), confidence: recognized.confidence };
    });
    // Barely matched, a clause names no problem: "restore finished" just reaches the connection alerts'
    // topic, and "restore finished but half my photos are missing" asks about photos. Nor does one
    // telling what went well ("my contacts and apps are there" leaned to the alerts for "apps"), nor a
    // word alone ("restored but everything from the last 2 weeks is missing" is no failed restore).
    const problems = new Set(named.flatMap(({ clause, intent, confidence }) => (intent?.tree && !intent.action && confidence >= BARE_MATCH && /\s/.test(clause.trim()) && !QUESTION.test(clause) && !NO_TROUBLE.test(clause) ? [intent] : [])));
    const [problem, ...others] = problems;
    const asked = named.filter(({ clause }) => QUESTION.test(clause));
    if (!problem || others.length > 0 || (asked.length > 0 && !asked.some(({ intent }) => intent?.id === whole.id))) return undefined;
    return this.answeredThen(state, asked.length > 0 ? [{ clause: text, intent: whole }] : [], (at) => {
      const ready = withoutFeedback(at.state);
      return this.told.startedPastDone(ready, problem, text, clauses) ?? this.moves.startTopic(reset(ready), problem, text);
    });
  }

  /**
   * "My iphone restore failed and also i forgot my screen passcode on my old phone": out of scope as a
   * whole, but one clause surely names a problem with a walk-through, another is surely out of scope
   * and none surely names anything else. The customer is told that part is outside, and walked through the problem.
   */
  private problemBesideOutside(state: ConversationState, text: string, recognition: Recognition): Outcome | undefined {
    const clauses = toldClauses(text);
    if (recognition.verdict !== 'out_of_scope' || !clauses) return undefined;
    const named = clauses.map((clause) => {
      const recognized = this.deps.recognize(clause);
      return { clause, outside: recognized.verdict === 'out_of_scope', intent: this.moves.matched(recognized) };
    });
    const problems = named.filter(({ intent }) => intent?.tree !== undefined && !intent.action);
    const [problem] = problems;
    // The rest surely outside, or of no topic at all ("need to restore my backup to a new one", unsure
    // between two): "my ipad screen is cracked…, need to restore my backup to a new one but it keeps failing".
    // A command's words told in the story ("reset it", "where did it go") command nothing.
    const rest = named.filter((part) => part !== problem);
    if (!problem?.intent || problems.length > 1 || !rest.some((part) => part.outside) || !rest.every((part) => part.outside || !part.intent || part.intent.action !== undefined)) return undefined;
    const started = this.told.startedPastDone(reset(state), problem.intent, text, clauses) ?? this.moves.startTopic(reset(state), problem.intent, problem.clause);
    return { ...started, replies: [{ text: this.deps.content.phrases.partOutOfScope }, ...started.replies] };
  }

  /**
   * "ok so i got a new ipad and when i go to restore from icloud my backup just isnt there??": a
   * when-clause told without a comma sets the scene, and the clause after it is the problem, however
   * the scene's words ("restore from icloud") lean the whole, unsure or barely matched.
   */
  private problemAfterScene(state: ConversationState, text: string, recognition: Recognition): Outcome | undefined {
    if (recognition.verdict === 'out_of_scope') return undefined;
    for (const main of (toldClauses(text) ?? [text]).flatMap((clause) => afterWhenScene(clause) ?? [])) {
      const recognized = this.deps.recognize(main);
      const problem = this.moves.matched(recognized);
      if (problem?.tree && !problem.action && recognized.confidence >= SURE_PROBLEM) return this.told.startedPastDone(reset(state), problem, text) ?? this.moves.startTopic(reset(state), problem, main);
    }
    return undefined;
  }

  /**
   * "ok so long story, my husband got me a new iphone … it keeps popping up Cannot Restore Backup. i
   * already picked the newest one AND the one from two weeks back": a problem told amid a story
   * leaves the whole unsure, but one clause surely names a walk-through the whole leans to (among its
   * first LEANING topics). It starts past the steps the story says were tried, after the answer to one
   * question in the story surely about another topic the whole leans to ("should i just wipe it").
   * Clauses that tell of a topic without a walk-through ("i already picked the newest one") are steps
   * tried or story, not questions. Of two problems named, the one named far more surely is the
   * problem ("it pops up saying Cannot Restore Backup" beside "picked my backup", which leans to no
   * backups listed); two as sure, or two questions, leave the message unplaced.
   */
  private problemInStory(state: ConversationState, text: string, recognition: Recognition): Outcome | undefined {
    const clauses = toldClauses(text);
    // A whole matched only barely is as much a story as one left unsure.
    const barely = recognition.verdict === 'match' && recognition.confidence < BARE_MATCH && clauses !== undefined && clauses.length >= STORY_CLAUSES;
    if (!clauses || (recognition.verdict !== 'unsure' && recognition.verdict !== 'ambiguous' && !barely)) return undefined;
    // Among topics only: out of scope and small talk ("none_near", "frustration") lean to no problem,
    // and a long story about a daughter's old iPad leans to them as much as to its problem.
    const topics = recognition.candidates.filter((candidate) => !this.deps.content.intentById.get(candidate.intent)?.action);
    const leaning = new Set(topics.slice(0, LEANING).map((candidate) => candidate.intent));
    const named = clauses.flatMap((clause) => {
      const recognized = this.deps.recognize(clause);
      const intent = this.moves.matched(recognized);
      return intent && !intent.action && leaning.has(intent.id) ? [{ clause, intent, confidence: recognized.confidence }] : [];
    });
    // "ive tried the other backups" names no problem of its own (no backups listed): it is a step tried
    // of the one told. "Should i just reset it and set it up as new" asks; its "set it up as new" tells nothing.
    const asking = text.split(/[,;.!?]+/).filter((part) => QUESTION.test(part.trim()));
    // "I tried to set it up from my iCloud backup but after 10 minutes it says Cannot Restore Backup":
    // what was tried, a "but" and the problem it met tell one problem, not the already-set-up one as well.
    // So do the restore being done and the problem joined to it ("restoring my backup from the uk and its crawling").
    const triedBeforeProblem = (clause: string) => {
      const next = named.find((other) => other.clause === clauses[clauses.indexOf(clause) + 1]);
      const after = text.slice(text.indexOf(clause) + clause.length);
      return next?.intent.tree !== undefined && (BUT_AFTER.test(after) || (DOING_THE_RESTORE.test(clause) && AND_AFTER.test(after)));
    };
    // Nor does a clause telling what went well ("apps are there", "restore finished").
    const told = named.filter(({ clause, intent }) => intent.tree && !asking.some((part) => part.includes(clause)) && !triedBeforeProblem(clause) && !NO_TROUBLE.test(clause));
    const problems = told.filter(({ clause, intent }) => !told.some((other) => other.intent.tree !== intent.tree && this.told.triedIn(other.intent.tree ?? '', clause)));
    const surest = new Map<Intent, number>();
    for (const { intent, confidence } of problems) surest.set(intent, Math.max(confidence, surest.get(intent) ?? 0));
    const [[problem, sureness] = [], [, runnerUp] = []] = [...surest].sort(([, a], [, b]) => b - a);
    const clear = runnerUp === undefined || ((sureness ?? 0) >= SURE_PROBLEM && (sureness ?? 0) - runnerUp >= PROBLEM_MARGIN);
    // "Im about to reset the whole thing, should i?": the clause a bare question tail follows is asked,
    // and so is every clause of the sentence it ends ("im gonna tap stop restoring and erase it and redo it, yeah?").
    const tailed = (clause: string) => QUESTION_TAIL.test(clauses[clauses.indexOf(clause) + 1] ?? '') || sentenceOf(text, clause).some((part) => QUESTION_TAIL.test(part));
    const askedAt = (clause: string) => QUESTION.test(clause) || tailed(clause);
    const asked = named.filter(({ clause, intent }, index) => !intent.tree && askedAt(clause) && named.findIndex((other) => other.intent.id === intent.id) === index);
    if (!clear || asked.length > MAX_ASKED_IN_STORY) return undefined;
    // A story with no problem told but questions it surely asks ("…apps still grey after 5 hrs. should i just reset it") is those questions.
    if (!problem) return asked.length > 0 ? this.answeredThen(state, asked) : undefined;
    return this.answeredThen(state, asked.slice(0, 1), (at) => {
      const ready = withoutFeedback(at.state);
      return this.told.startedPastDone(ready, problem, text, clauses) ?? this.moves.startTopic(reset(ready), problem, text);
    });
  }

  /**
   * Each asked topic's answer in turn, then the walk-through `thenStart` opens, so that its question is
   * what stays open. Feedback is asked for the last answer only.
   */
  private answeredThen(state: ConversationState, asked: readonly { clause: string; intent: Intent }[], thenStart?: (at: Outcome) => Outcome): Outcome {
    let outcome: Outcome = { state: reset(state), replies: [], events: [] };
    const join = (next: Outcome): Outcome => {
      const earlier = outcome.replies.map(({ askFeedback: _only, ...reply }) => reply);
      return { ...next, replies: [...earlier, ...next.replies], events: [...(outcome.events ?? []), ...(next.events ?? [])] };
    };
    for (const { clause, intent } of asked) outcome = join(this.moves.startTopic(withoutFeedback(outcome.state), intent, clause));
    return thenStart ? join(thenStart(outcome)) : outcome;
  }
}

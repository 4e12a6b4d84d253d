import type { Intent } from '../content/types.js';
import type { TreeState } from '../dialogs/engine.js';
import type { ChoiceReading } from '../nlu/choiceReader.js';
import { afterContrast, afterTakingBack, answerClauses, beforeContrast, clausesAsked, CONCEDED, correctionOf, PLANNED, QUESTION, STILL_FAILING, storyClauses, toldClauses, toldParts, UNTRIED, withoutAlso } from './messageShape.js';
import type { Moves } from './moves.js';
import { answeredFirst, type Outcome } from './outcome.js';
import { aboutFreeSpace, smallFreeAlone, spaceAgainstBackup, spaceInWords, withFigures } from './freeSpace.js';
import { ageAnswer } from './backupAge.js';
import { lineTold, phraseForLine } from './connectionSpeed.js';
import { asksTimeForSize, elapsedAnswer, rateOnTheLine, restoreEstimate, sizeInGigabytes, tellsTimeOnly } from './restoreEstimate.js';
import { LOOSE_READING, readAt, SURE_READING, sureAnswerAmong, type ReadingDeps } from './readings.js';
import { lastAsked, type ConversationState } from './state.js';
import type { ToldSteps } from './toldSteps.js';
import type { Reply } from './types.js';


/** "Tried the top one only", "havent tried the older ones": a step done in part, the rest not yet. */
const PARTLY_TRIED = /\b(?:only|just) (?:(?:ever|really|actually) )?(?:tried|did)\b|\b(?:tried|did) (?:the )?(?:\w+ )?(?:one|ones?) only\b|\b(?:haven'?t|have not|didn'?t|did not|not yet) (?:tried|try)\b/i;

/** "how much do i need to free?", "how much space should i clear": asking how much room to make. */
const HOW_MUCH_TO_FREE = /\bhow much\b[^.?!]*\b(?:free|clear|delete|need|make room|room|space)\b/i;

/** A plan for another time, which leaves the walk-through for now. */
const LATER = /\b(?:wait(?: it out| and see| for it| a bit| a while)?|later|next time|tomorrow|tmrw|tmr|tomoz|2moro|tonight|overnight|another time|next week|in the morning|after work|when i get home|(?:till|til|until) (?:i'?m|i am|i get) (?:home|back)|leave it (?:running|going|be|alone|to (?:run|finish))|let it (?:run|finish|go|carry on|do its thing))\b/i;

/** "it lists one backup from march 2 with a size": a backup told complete, as incomplete ones show no size. */
const WITH_A_SIZE = /\b(?:with|has|shows|showing)\s+(?:a\s+|its\s+)?size\b/i;

/** "ill think about it", "let me think it over": a choice to make, no fix to try. */
const THINKING = /\bthink\b/i;

/**
 * Readings of a message against the open step that its choices' words alone miss: a time or a size
 * worked out, a step taken back as never tried, the answer before corrected, the news after a
 * contrast, and a question asked after things told. Each leaves the message to the next reading
 * (undefined) unless it applies.
 */
export class StepReadings {
  constructor(
    private readonly deps: ReadingDeps,
    private readonly moves: Moves,
    private readonly told: ToldSteps,
  ) {}

  /**
   * "Ok ill try an older backup and let you know": the step about to be tried, not yet done, so its
   * question waits. Read as an answer, "another one" in it said that another backup worked ("ok ill
   * try it tomorrow" was the Wi-Fi step's "ok"). Unless a clause beside the plan answers ("ill try the
   * older one, the wifi is fine tho"). A plan for later ("ill try again tomorrow", "ill leave it
   * running overnight") keeps the step for when the customer is back, without asking it again now.
   */
  planned(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    // "I need it at 9, can i use it while its still doing this": a question in any clause is asked, not planned.
    if (clausesAsked(text).some((part) => QUESTION.test(part)) || !PLANNED.test(text)) return undefined;
    // "ok ill leave it" at "does the restore still look like it's moving?": a plan that is one of the step's answers ("i'll leave it running") is that answer.
    const whole = readAt(this.deps, tree, text);
    if (whole && !whole.plain && whole.score >= SURE_READING && PLANNED.test(whole.nearestExample)) return undefined;
    // "The others are older than i want but whatever ill try the one from last month": what the
    // contrast sets aside is no answer beside the plan, nor is giving in to it.
    const after = afterContrast(text);
    const told = storyClauses(after && PLANNED.test(after) ? after : text).filter((part) => !PLANNED.test(part) && !CONCEDED.test(part));
    // Heard only in the yes and no every step shares ("its on the wifi already" as "i already did it"), a clause answers nothing here.
    if (told.some((part) => { const reading = readAt(this.deps, tree, part); return reading !== null && !reading.plain && reading.score >= LOOSE_READING; })) return undefined;
    const { phrases } = this.deps.content;
    if (LATER.test(text)) return { state, replies: [{ text: phrases.whenTriedLater }] };
    return { state, replies: [{ text: THINKING.test(text) ? phrases.whenDecided : phrases.whenTried }, this.moves.question(tree)] };
  }

  /**
   * "10 hours for 3gb" where the step compares the time a restore has run with its size: worked out,
   * not read from the words, and the estimate said first so the customer sees why.
   */
  elapsed(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const { engine, content } = this.deps;
    const check = engine.elapsedAt(tree);
    const answer = check ? elapsedAnswer(check, text, state.askedText ?? '', content.phrases.sizeEstimate) : undefined;
    const index = answer ? engine.choicesAt(tree).findIndex((choice) => choice.label === answer.label) : -1;
    if (!answer || index < 0) return undefined;
    const outcome = this.moves.advance(state, engine.choose(tree, index));
    return answeredFirst(outcome, [answer.estimate]);
  }

  /**
   * "It backed up last month", "my old phone broke like 8 months ago": at a step that asks whether the
   * device backed up lately, the time told is compared with the step's days, not read from its words.
   */
  aged(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const { engine } = this.deps;
    // "theres another one from march thats 4.2 gb": a backup told with its size is a complete one, there
    // to use, whatever its age; read as the last backup's age, it went on to backups deleted after 180 days.
    if (sizeInGigabytes(text) !== undefined || WITH_A_SIZE.test(text)) return undefined;
    const check = engine.ageAt(tree);
    const index = check ? ageAnswer(check, engine.choicesAt(tree), text) : undefined;
    return index === undefined ? undefined : this.moves.advance(state, engine.choose(tree, index));
  }

  /**
   * "So how many hours for 12 gigs roughly?" inside the walk-through of a topic with a restore rate,
   * or asked in any other: the estimate for that size, and the step's question again. Told rather than asked ("backup is
   * about 12gb"), when it answers nothing here: read as a topic, "backup is" started the no-backups one.
   * Told beside the step's answer ("backup is like 40gb. im at home"), the estimate, then the answer.
   * A time told alone ("its been 6 hrs") gets the estimate for the size told when the walk-through began.
   */
  sizeAsked(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    if (!QUESTION.test(text) && (readAt(this.deps, tree, text)?.score ?? 0) >= LOOSE_READING) return undefined;
    const { content, engine } = this.deps;
    // "How long will 23gb take" asked in another walk-through (a device already set up) is answered by the topic with a rate.
    const ownRate = this.ratedTopic(tree);
    const rated = ownRate ?? (asksTimeForSize(text) ? content.intents.find((topic) => topic.hoursPerGigabyte) : undefined);
    // "its been 6 hrs lol" at a step that compares nothing: the estimate for the size told when the walk-through began, to compare with.
    const sized = tellsTimeOnly(text) && ownRate ? (state.askedText ?? '') : text;
    const [estimate] = rated ? restoreEstimate(rated, sized, content.phrases.sizeEstimate) : [];
    if (!estimate) return undefined;
    // "wifi's good. random q tho how long is this supposed to take? its about 40gb": the answer told before the question still counts.
    const clauses = QUESTION.test(text) ? toldParts(text) : (answerClauses(text) ?? []);
    // "Updating now. once it starts, rough time for 64 GB?": a step under way is no answer yet.
    const answer = sureAnswerAmong(this.deps, tree, clauses.filter((part) => sizeInGigabytes(part) === undefined && !PLANNED.test(part)));
    if (!answer) return { state, replies: [estimate, this.moves.question(tree)] };
    const moved = this.moves.advance(state, engine.choose(tree, answer.index));
    return answeredFirst(moved, [estimate]);
  }

  /**
   * "Says 2.1 gb available of 128": free space told as figures against the capacity is read as the
   * words it amounts to ("it's almost full"), when those surely answer the step; the figures alone
   * read as nothing ("2.1 gb available" as plenty, for its "available").
   */
  spaceTold(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const words = QUESTION.test(text) ? undefined : spaceInWords(text);
    const reading = words ? readAt(this.deps, tree, words) : null;
    if (reading && reading.score >= SURE_READING) return this.moves.advance(state, this.deps.engine.choose(tree, reading.index));
    // "got like 2gb free lol" at the storage step: enough only for a smaller backup, whose size is where the step says.
    const free = QUESTION.test(text) || !aboutFreeSpace(this.deps.content, this.deps.engine.aboutAt(tree)) ? undefined : smallFreeAlone(text);
    return free === undefined ? undefined : { state, replies: [{ text: this.deps.content.phrases.compareWithBackup.replace('{free}', String(free)) }, this.moves.question(tree)] };
  }

  /**
   * "how much do I need to free?" at the storage step, the free space and the backup's size told before
   * (in the message that began the walk-through or the one before): the difference, worked out.
   */
  spaceNeeded(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    if (!HOW_MUCH_TO_FREE.test(text) || !aboutFreeSpace(this.deps.content, this.deps.engine.aboutAt(tree))) return undefined;
    const told = [state.askedText, ...(state.toldDone ?? []), lastAsked(state)].flatMap((said) => (said ? [spaceAgainstBackup(said)] : [])).find((space) => space !== undefined && !space.fits);
    return told && { state, replies: [{ text: withFigures(this.deps.content.phrases.freeAtLeast, told) }, this.moves.question(tree)] };
  }

  /**
   * "Seriously?? up to 48 hrs?? my wifi is fibre", "my internet is only like 10mbps" in the walk-through
   * of a topic with a restore rate, at a step that does not ask about the connection: the rate holds
   * even on a fast line, and a slow one takes longer; the step's question is asked again.
   */
  lineTold(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const reply = (readAt(this.deps, tree, text)?.score ?? 0) >= SURE_READING ? undefined : this.rateOnTheLine(tree, text);
    return reply ? { state, replies: [reply, this.moves.question(tree)] } : undefined;
  }

  /**
   * "Im not travelling and the wifi is fast": whatever the message answered in a walk-through with a
   * restore rate, a fast line told is told the rate holds on it too, and a slow one what it means, once.
   */
  withRateOnTheLine(tree: TreeState, text: string, outcome: Outcome): Outcome {
    const reply = this.rateOnTheLine(tree, text);
    return reply && !outcome.replies.some(({ text: said }) => said === reply.text) ? { ...outcome, replies: [reply, ...outcome.replies] } : outcome;
  }

  private rateOnTheLine(tree: TreeState, text: string): Reply | undefined {
    const line = lineTold(text);
    const rated = line ? this.ratedTopic(tree) : undefined;
    return rated && line ? rateOnTheLine(rated, phraseForLine(line, this.deps.content.phrases)) : undefined;
  }

  /** The topic of this walk-through with a restore rate (hours per gigabyte), if it has one. */
  ratedTopic(tree: TreeState): Intent | undefined {
    return this.moves.topicsOf(tree.tree).map((id) => this.deps.content.intentById.get(id)).find((intent) => intent?.hoursPerGigabyte);
  }

  /**
   * "Wait actually no, i only tried the newest backup, never tried the others": a step gone past, or
   * the open one, taken back as never tried is where the walk-through goes back to, its question
   * asked again. The step is the latest one whose subject the words taken back name.
   */
  untriedStep(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const { engine, content } = this.deps;
    const meant = afterTakingBack(text) ?? correctionOf(text);
    if (!meant || !UNTRIED.test(meant)) return undefined;
    // The words taken back say "never tried": a subject the recogniser leans to, surely or not, names the
    // step, or the clause that says what was not tried, read as tried ("only tried one of the other
    // two. the oldest one is from march" is the other-backups step's "tried the other two").
    const leaning = this.moves.leanedTo(this.deps.recognize(meant));
    const untried = ((toldClauses(meant) ?? []).find((part) => UNTRIED.test(part)) ?? meant).replace(UNTRIED, 'tried');
    const names = (at: TreeState) => leaning.some((intent) => engine.aboutAt(at).includes(intent)) || this.told.triedAt(at, untried);
    let at: TreeState | undefined = tree;
    while (at && !names(at)) {
      const back = engine.back(at);
      at = back?.status === 'waiting' ? back.state : undefined;
    }
    if (!at) return undefined;
    const restated = this.moves.restate({ ...state, tree: at }, at);
    return { ...restated, replies: [{ text: content.phrases.stepUntried }, ...restated.replies] };
  }

  /**
   * "There are 3 in the list, tried the top one only": the open step, a fix to try, done only in part
   * is no "no", which would go past a fix still untried. Its instructions again, to try the rest.
   */
  partlyTried(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const { engine, content } = this.deps;
    if (!engine.yesCloses(tree) || !PARTLY_TRIED.test(text) || correctionOf(text) !== undefined) return undefined;
    const names = (part: string) => {
      const topic = this.moves.matched(this.deps.recognize(part));
      return (topic !== undefined && engine.aboutAt(tree).includes(topic.id)) || this.told.triedAt(tree, part);
    };
    const clauses = clausesAsked(text);
    if (!names(text) && !clauses.some(names)) return undefined;
    // "Havent tried the older ones. do i lose stuff if i use one": the question is answered first.
    const asked = clauses.filter((part) => QUESTION.test(part)).map((part) => this.moves.matched(this.deps.recognize(part)));
    const [topic] = asked;
    const answer = asked.length === 1 && topic && !topic.action ? [{ text: topic.answer }] : [];
    const restated = this.moves.restate(state, tree);
    return { ...restated, replies: [...answer, { text: content.phrases.stepPartlyTried }, ...restated.replies] };
  }

  /**
   * "Wait, actually no, I'm home", "sorry, I meant yes, another backup worked": the answer to the
   * step before, taken back and given again. Only when what was meant reads surely as another
   * answer than the one given there, and better there than as an answer to the open step.
   */
  correction(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const { engine, content } = this.deps;
    const meant = correctionOf(text);
    const last = meant ? this.atStepBefore(tree, meant) : undefined;
    if (!meant || !last) return undefined;
    const { before, there, given } = last;
    if (!there || there.score < SURE_READING || engine.choicesAt(before)[there.index]?.label === given) return undefined;
    const here = readAt(this.deps, tree, meant);
    if (here && here.score >= there.score) return undefined;
    const outcome = this.moves.advance({ ...state, tree: before }, engine.choose(before, there.index));
    return { ...outcome, replies: [{ text: content.phrases.answerChanged }, ...outcome.replies] };
  }

  /**
   * "ok tried the ipad one, same error" at the Wi-Fi step, after "the only other backups are from my
   * old ipad" moved it on: surely the last step's answer again, in that step's own words, and read
   * here only as a plain yes or no. Taken as this step's "no", it skipped a fix never tried.
   */
  saysLastAnswerAgain(tree: TreeState, text: string): boolean {
    const last = this.atStepBefore(tree, text);
    const there = last?.there;
    if (!last || !there || there.plain || there.score < SURE_READING) return false;
    const here = readAt(this.deps, tree, text);
    if (here && !here.plain && here.score >= LOOSE_READING) return false;
    // "storage fine, restarted too" at the restart step: a clause reporting this step done is news.
    if ((answerClauses(text) ?? []).some((part) => this.deps.reportsDoing(this.deps.engine.choicesAt(tree), withoutAlso(part)))) return false;
    // In the words of the answer's label ("No, still failing") it is as plain as any "no".
    const choice = this.deps.engine.choicesAt(last.before)[there.index];
    return choice?.label === last.given && there.nearestExample !== choice?.label && there.score > (here?.score ?? 0);
  }

  /** The step answered last, the message's reading there and the answer given there; undefined at the first question. */
  private atStepBefore(tree: TreeState, text: string): { before: TreeState; there: ChoiceReading | null; given: string | undefined } | undefined {
    const previous = this.deps.engine.back(tree);
    if (previous?.status !== 'waiting') return undefined;
    return { before: previous.state, there: readAt(this.deps, previous.state, text), given: tree.path[previous.state.path.length]?.answer };
  }

  /**
   * The topic the question of a message asks about, from its first question clause on, when things
   * told come before it and it surely names a topic of its own that is not `about` this step or
   * walk-through; whether one with a walk-through of its own is kept aside is the caller's to say.
   */
  askedAfterTelling(text: string, clauses: readonly string[], about: ReadonlySet<string>, whole?: Intent): Intent | undefined {
    const first = clauses.findIndex((clause) => QUESTION.test(clause));
    const from = first > 0 ? text.indexOf(clauses[first] ?? '') : -1;
    if (from <= 0) return undefined;
    const recognition = this.deps.recognize(text.slice(from));
    // "There are three backups listed. why three, i only have one ipad": a question with the whole
    // message's sure topic among its own first two asks about that, whatever it leans to alone.
    if (whole && this.moves.amongFirstTwo(recognition, whole)) return undefined;
    const topic = this.moves.matched(recognition);
    return topic && !topic.action && !about.has(topic.id) ? topic : undefined;
  }

  /**
   * The reading of a message set against itself is the reading of what follows the contrast, when
   * that part surely answers: in "it's plugged in and on wifi but they keep coming" the news is that
   * the alerts keep coming, not the power and Wi-Fi the step asked for.
   */
  newsOf(tree: TreeState, text: string): ChoiceReading | null {
    // "How long does it take once it actually works?": inside a question no word takes anything back.
    if (QUESTION.test(text)) return readAt(this.deps, tree, text);
    const taken = afterTakingBack(text);
    const after = taken ?? afterContrast(text);
    const news = after && !QUESTION.test(after) ? readAt(this.deps, tree, after) : null;
    if (news && news.score >= SURE_READING) return news;
    // "Im on a trip wait no actually i live here now, the backup was made here too": what is taken
    // back is no answer; what is said instead is read, in parts where need be, by what follows.
    if (taken && !QUESTION.test(taken)) return news;
    // "Connected to wifi yeah but it keeps saying the same error": news that the problem is still
    // there is what a "no" told before it says, however its own words ("keeps") lean elsewhere.
    const before = after && !taken && STILL_FAILING.test(after) ? beforeContrast(text) : undefined;
    const told = before ? readAt(this.deps, tree, before) : null;
    if (told && told.score >= SURE_READING && this.deps.engine.choicesAt(tree)[told.index]?.means === 'no') return told;
    return readAt(this.deps, tree, text);
  }
}

import type { Intent } from '../content/types.js';
import { ordinalIn } from '../dialogs/choiceMatcher.js';
import type { TreeState } from '../dialogs/engine.js';
import type { Recognition } from '../nlu/recognizer.js';
import { AfterAnswer, type AfterAnswerDeps } from './afterAnswer.js';
import { beyondReach, type BeyondReach } from './beyondReach.js';
import { Feedback } from './feedback.js';
import { Meaning, type MeaningDeps } from './meaning.js';
import { withSpaceInWords } from './freeSpace.js';
import { ALREADY, ALSO_DONE, NEVER_DONE, answerClauses, ASKS_HOW, ASKS_NEXT, backupsNamed, IN_PLACE_NOW, ASKS_WHAT_FIRST, ASKS_WHY_IT_HELPS, beforeContext, beforeGoOn, besideAnyway, CHECKS_MEANING, conclusionOf, CONTRAST, correctionOf, devicesCorrected, namesOtherAsFine, ECHOED, ENDS_IN_NO, EVERY_ALREADY, lastSentence, onlyGoOn, PUZZLED, QUESTION, REFERS_BACK, REPEATED, SAYS_EMPTY, simplify, STILL_FAILING, toldParts, WHAT_ELSE, WHAT_TO_DO, withoutBeforeYouAsk, withoutGreeting, withoutSigh, withoutAlso, withoutTaunt } from './messageShape.js';
import { Moves, SMALL_TALK } from './moves.js';
import { OutsideWalkThrough, type OutsideWalkThroughDeps } from './outsideWalkThrough.js';
import { PartedAnswers } from './partedAnswers.js';
import { RunningRestore } from './runningRestore.js';
import { StepReadings } from './stepReadings.js';
import { ToldSteps } from './toldSteps.js';
import { StoryAnswers } from './storyAnswers.js';
import { answeredFirst, askedAndAnswered, reset, unplacedInTree, withoutFeedback, type Outcome } from './outcome.js';
import { answerOfFixInPlace, LOOSE_READING, readAt, READING_MARGIN, readsLoosely, readsNoAt, readsOwnNoAt, SURE_READING, SURE_READING_OF_A_QUESTION, sureAnswerAmong, sureReading } from './readings.js';
import { tellsElapsed, tellsRunningFor } from './restoreEstimate.js';
import { linesForVersionTold, versionsCompared, versionsInWords, versionsNamed } from './versionsNamed.js';
import { lastReplies, type ConversationState, type FeedbackFor } from './state.js';
import type { Reply } from './types.js';

export interface ConversationDeps extends OutsideWalkThroughDeps, AfterAnswerDeps, MeaningDeps {
  /** Whether a question's words all occur in the open step's text (src/nlu/choiceReader.ts). */
  readonly asksAbout: (step: string, text: string) => boolean;
  /** Whether a statement's words all occur in the open step's text, its device aside (src/nlu/choiceReader.ts). */
  readonly tellsAbout: (step: string, text: string) => boolean;
  /** Masks personal data (REDACT_PII) in the question kept in the state for feedback. */
  readonly redact?: (text: string) => string;
}

/** A topic recognised this surely is asked about, even when the message also reads loosely as an answer. */
const SURE_TOPIC = 0.85;
/** "Only one backup shows up", "just the 1", "only got 1 showing": how many there are. */
const ONE_ONLY = /\b(?:only|just)\s+(?:(?:got|have|has|see|seeing|shows?|showing|lists?|listed)\s+)?(?:(?:the\s+)?one|1|a single)\b/i;
/** "Yes it says…", "it shows…": what the customer sees, as against news ("now i got an alert"). */
const SEEN = /^\s*(?:yes|yeah|yep|yup|ya)\b|\b(?:it|that|screen|mine|phone|ipad|iphone)\s+(?:says|shows|said|showed|reads)\b/i;
/** Words of how a fix went ("still", "alerts", "restoring"), or that it did not help ("what next", "wifi is ok"). */
const OUTCOME = /\b(?:still|again|same|alerts?|errors?|fail\w*|stopped|gone|works?|working|worked|restoring|going|stuck|nothing|no luck|not|n't|nt|next|what else|(?:is|s) (?:ok|okay|fine|good))\b/i;
/** "Still going", "restoring": a restore told as running, not a time spent on something else. */
const STILL_RUNNING = /\bstill (?:going|restoring|running|downloading|loading)\b|\brestoring\b|\bin progress\b/i;
/** "Anyway", back to the problem after an aside. */
const BACK_TO_MATTER = /\b(?:anyway|anyways|anyhow|back to (?:it|the (?:problem|error|issue)))\b/i;
/** "good to know, bye": what comes before a closing goodbye. */
const BYE_AFTER = /^(.+?)[\s,.!]+(?:bye|goodbye|bye bye|bye for now|cya|see ya|see you)[\s!.]*$/i;
/** "Ok", "sure", "cool": an acknowledgement that may agree to what was asked ("shall I pass you to a person?"). */
const AGREEING_OPENER = /^\W*(?:ok|okay|k|kk|alright|cool|sure|fine|yes|yeah|yep)\b/i;
/** "Now I'm on my home wifi": something told as changed just now. */
const CHANGED_NOW = /\bnow\b/i;
/** "On 4g", "using mobile data", "no wifi here": the device off Wi-Fi. */
const OFF_WIFI = /\b(?:on|using|over)\s+(?:4g|5g|lte|3g|cellular|mobile data|my data|data)\b|\bnot on (?:the |any )?wi-?fi\b|\bno wi-?fi\b/i;
/** A step that asks for Wi-Fi. */
const WIFI = /\bWi-?Fi\b/i;
/** "Yes please": a request, not a report. */
const PLEASE = /\b(?:please|pls|plz)\b/i;
/** A verb of something done, whatever step it belongs to: "picked", "went with", "cleared". */
const DID_SOMETHING = /\b(?:picked|chose|chosen|selected|tried|used|went with|did|done|restarted|rebooted|updated|freed|deleted|cleared|moved|plugged|connected|switched|turned)\b/i;

/**
 * Decides what to say to one customer message. Inside a walk-through the message is first read as
 * an answer to the open question (its choices' words, then their examples in context), then as a
 * global command, then as a side question (answered, the walk-through kept for later), and only
 * then as something the bot cannot place; outside one, it is read by outsideWalkThrough.ts. This
 * file is the order in which a message is read inside a walk-through, top to bottom; what a message
 * means whole (its intent, a person asked for, a sure command) is in meaning.ts, what each reading
 * leads to (a step, a topic, a command) in moves.ts, messages in several parts (two answers, an
 * answer and a question, the next step's answer given early) in partedAnswers.ts, steps already
 * tried in toldSteps.ts, an answer hidden in a story or beside an aside in storyAnswers.ts, readings its
 * choices' words miss (a time worked out, a step taken back, a correction) in stepReadings.ts, a follow-up
 * on the answer just given in afterAnswer.ts, and feedback on an answer in feedback.ts.
 */
export class Conversation {
  private readonly moves: Moves;
  private readonly feedback: Feedback;
  private readonly parts: PartedAnswers;
  private readonly told: ToldSteps;
  private readonly afterAnswer: AfterAnswer;
  private readonly stories: StoryAnswers;
  private readonly meaning: Meaning;
  private readonly outside: OutsideWalkThrough;
  private readonly steps: StepReadings;
  private readonly running: RunningRestore;

  constructor(private readonly deps: ConversationDeps) {
    this.moves = new Moves(deps);
    this.parts = new PartedAnswers(deps, this.moves);
    this.told = new ToldSteps(deps, this.moves);
    this.afterAnswer = new AfterAnswer(deps, this.moves);
    this.stories = new StoryAnswers(deps, this.moves, this.parts);
    this.steps = new StepReadings(deps, this.moves, this.told);
    this.meaning = new Meaning(deps, this.moves, this.afterAnswer);
    this.outside = new OutsideWalkThrough(deps, this.moves, this.meaning, this.parts, this.told, this.afterAnswer, (state, tree, text, recognition) => this.inTree(state, tree, text, recognition));
    this.feedback = new Feedback(deps.content, deps.readChoice);
    this.running = new RunningRestore(deps);
  }

  respond(before: ConversationState, typed: string): Outcome {
    const { engine, content } = this.deps;
    // Read as a greeting, "Hello, I started restoring my iPad this morning… is this normal?" was greeted back.
    const text = this.running.named(before, backupsNamed(devicesCorrected(versionsNamed(withoutTaunt(withoutSigh(withoutGreeting(typed)))))));
    // One feedback question per answer: the next message answers it or moves on, never both.
    const feedback = before.feedback ? this.typedFeedback(before, before.feedback, text) : undefined;
    if (feedback) return feedback;
    const beyond = beyondReach(text);
    if (beyond) return this.beyondReach(before, beyond);
    const state = withoutFeedback(before);
    const tree = state.tree;
    const exact = tree ? engine.match(tree, text) : null;
    if (tree && exact) return this.told.pastToldSteps(tree, this.moves.advance(state, engine.choose(tree, exact.index)));
    if (!tree && state.suspended && simplify(text) === simplify(content.phrases.carryOnChoice)) return this.moves.resume(state);

    const picked = this.pickOffered(state, text);
    // A person asked for by button is asked for from where the customer is (the handoff resets it itself).
    if (picked) return picked.action === 'handoff' ? this.moves.act(state, picked) : this.moves.startTopic(reset(state), picked);

    const recognition = this.deps.recognize(text);
    const outcome = tree ? this.steps.withRateOnTheLine(tree, text, this.told.pastToldSteps(tree, this.inTree(state, tree, text, recognition), text)) : this.parts.answeredInOpening(this.outside.respond(state, text, recognition));
    return { ...this.running.answered(state, text, outcome), recognition, state: { ...outcome.state, lastCandidates: recognition.candidates } };
  }

  /** The bot's replies to the last message bar the open step itself, or only their lines that fit the case `text` tells. */
  private linesOfLastWords(state: ConversationState, tree: TreeState, text?: string): string[] {
    const step = new Set([this.moves.question(tree).text, ...this.deps.engine.resume(tree).messages.map((message) => message.text)]);
    const said = lastReplies(state).filter((line) => !step.has(line));
    return text === undefined || said.length === 0 ? said : this.deps.linesTold(said.join('\n\n'), text);
  }

  /**
   * "Restore keeps asking for a password i dont remember, can u reset it for me": what the bot cannot
   * do is said first, then the rest of the message is answered as if it came alone. With nothing
   * left, or nothing the bot can place, the customer hears where they were or what to tell the bot.
   */
  private beyondReach(before: ConversationState, beyond: BeyondReach): Outcome {
    const { phrases } = this.deps.content;
    // "can you unlock my activation lock": outside the bot's scope as well as its reach, so no walk-through is offered for it.
    const outside = !beyond.password && this.deps.recognize(beyond.asked).verdict === 'out_of_scope';
    const told: Reply[] = [{ text: beyond.password ? phrases.keepPasswordPrivate : outside ? phrases.cannotActOutOfScope : phrases.cannotActForYou }];
    const rest = beyond.rest === '' ? undefined : this.respond(before, beyond.rest);
    if (rest && !rest.events?.some((event) => event.kind === 'unplaced')) return answeredFirst(rest, told);
    const state = withoutFeedback(before);
    if (state.tree) return { state, replies: [...told, this.moves.question(state.tree)] };
    return { state, replies: outside ? told : [...told, { text: phrases.walkYouThrough }] };
  }

  /**
   * "Deleted like 15gb of videos and tried again at 8:30, nope": the step's fix done (told as done,
   * or in the words of its yes), then a bare no saying how it went. "ok picked the one from last week
   * instead, same error": something done in words of the customer's own, then the same failure.
   */
  private doneThenNo(tree: TreeState, text: string): boolean {
    const bareNo = ENDS_IN_NO.exec(text);
    if (!bareNo) return false;
    const done = text.slice(0, bareNo.index);
    const choices = this.deps.engine.choicesAt(tree);
    const reading = readAt(this.deps, tree, done);
    const didThenFailed = DID_SOMETHING.test(done) && STILL_FAILING.test(bareNo[0]) && !CONTRAST.test(text);
    // "I was on the cafe wifi before. Now I'm home on my own wifi and it still fails": the step's subject changed now, then the failure.
    const changedThenFailed = CHANGED_NOW.test(done) && STILL_FAILING.test(bareNo[0]) && this.deps.engine.aboutAt(tree).includes(this.deps.recognize(done).candidates[0]?.intent ?? '');
    return this.deps.reportsDoing(choices, done) || didThenFailed || changedThenFailed || (reading !== null && !reading.plain && reading.score >= LOOSE_READING && choices[reading.index]?.means === 'yes');
  }

  /**
   * "Its on whatever ios it came with, i never update": the open step's own fix told as never done is
   * still to do, not a "no" that goes past it (and, at the last step, to "we've tried everything").
   */
  private notDoneYet(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const verb = NEVER_DONE.exec(text)?.[1];
    // "restarted it but it still wont go through" tells how the step went.
    if (!verb || STILL_FAILING.test(text) || !this.deps.engine.yesCloses(tree) || !this.deps.tellsAbout(this.stepText(tree), verb)) return undefined;
    return this.notDone(state, tree);
  }

  /**
   * "ok. anyway still the error" right after a side question was answered beside this step: back to
   * the problem, which this step, given in the same breath as that answer, has not been tried on yet.
   */
  private backFromAside(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    if (!BACK_TO_MATTER.test(text) || !STILL_FAILING.test(text) || DID_SOMETHING.test(text) || !this.deps.engine.yesCloses(tree) || this.linesOfLastWords(state, tree).length === 0) return undefined;
    return this.notDone(state, tree);
  }

  /** Lines of an earlier text fitting what the customer told or asked, after a lead, then the open step's question again. */
  private linesThenQuestion(state: ConversationState, tree: TreeState, lead: string, lines: readonly string[]): Outcome {
    return { state, replies: [{ text: lead }, { text: lines.join('\n\n') }, this.moves.question(tree)] };
  }

  /** The open step told as not done yet: the one to do now, given again. */
  private notDone(state: ConversationState, tree: TreeState): Outcome {
    const restated = this.moves.restate(state, tree);
    return { ...restated, replies: [{ text: this.deps.content.phrases.stepNotDone }, ...restated.replies] };
  }

  private inTree(state: ConversationState, tree: TreeState, text: string, recognition: Recognition, goingOn = false): Outcome {
    const { content, engine } = this.deps;
    // "Ok theres enough. now what": the answer says what comes next; its "now what" is no question of
    // its own. "Updating now. then what" asks what follows the step being done: no plan to wait for.
    const answer = beforeGoOn(text);
    if (answer) {
      const read = this.inTree(state, tree, answer, this.deps.recognize(answer), true);
      // "i'd rather not go back to an old one, what else can i check": no answer before it, the request for the next fix still stands.
      const stayed = read.state.tree?.node === tree.node && read.state.tree.path.length === tree.path.length;
      const onwards = stayed && WHAT_ELSE.test(text) && engine.yesCloses(tree) ? this.moves.answerNo(state, tree) : undefined;
      // "well it still shows in the list so whatever. whats next", "ok thx. so whats next" (after an aside
      // answered beside the step): words that answer nothing, then the request to go on, which at a
      // step not yet tried is for the step itself, in full.
      const explain = this.moves.intentFor('explain');
      const lost = stayed && explain && !QUESTION.test(answer) && read.events?.some((event) => event.kind === 'unplaced') ? this.moves.explainStep(state, tree, explain.answer) : undefined;
      const next = stayed && this.deps.acknowledges(answer) ? this.moves.explainStep(state, tree, content.phrases.inThisStep) : undefined;
      return onwards ?? lost ?? next ?? read;
    }
    // "ok back to it. what was next after wifi": which step comes next is the open one, whatever the last one named leans to.
    if (ASKS_NEXT.test(text)) return this.moves.explainStep(state, tree, content.phrases.whatToDoHere);
    // An aside asked outside the bot's scope, then "anyway" and the matter: the matter is the message.
    const turned = besideAnyway(text);
    if (turned && QUESTION.test(turned.aside) && this.deps.recognize(turned.aside).verdict === 'out_of_scope') return this.inTree(state, tree, turned.matter, this.deps.recognize(turned.matter), goingOn);
    // A walk-through with a restore rate reads a backup's size for its estimate; elsewhere free space against it is words.
    const plain = this.parts.lineInWords(tree, this.steps.ratedTopic(tree) ? withoutBeforeYouAsk(text) : withSpaceInWords(withoutBeforeYouAsk(text)));
    // "Its a 64gb and i have loads of videos so prob almost full": the conclusion is the answer, when it surely is one
    // and the whole reads less surely ("loads" was plenty of room).
    const concluded = conclusionOf(plain);
    // "not sure how much space i have. its brand new so prob fine": a question left open before it, the conclusion still answers.
    const byConclusion = concluded !== undefined && !QUESTION.test(lastSentence(text)) ? readAt(this.deps, tree, concluded) : null;
    if (concluded && byConclusion && !byConclusion.plain && byConclusion.score >= SURE_READING && byConclusion.score > (readAt(this.deps, tree, plain)?.score ?? 0)) {
      return this.inTree(state, tree, concluded, this.deps.recognize(concluded), goingOn);
    }
    if (plain !== text) return this.inTree(state, tree, plain, this.deps.recognize(plain), goingOn);
    // "phone is on 17.1 and the backup was made on 17.4" at a step that gives the version rule: what it means for those two.
    const compared = versionsCompared(this.stepText(tree), text);
    if (compared) return { state: { ...state, misses: 0 }, replies: [{ text: versionsInWords(compared, content.phrases) }, this.moves.question(tree)] };
    // "that is so dumb. can you just get it back for me": a last sentence put as a question asks, whatever came before it.
    const asking = QUESTION.test(text) || QUESTION.test(lastSentence(text));
    // "Ok", "ok thx" after a fix to try: the customer is going to try it, and how it went is still to
    // come. Read for its words, "ok" was "wifi has been ok", and the Wi-Fi step was passed untried.
    // "cool ty" thanks as well: a thank-you is answered as one.
    const acknowledged = this.afterAnswer.saysThanks(text) ? content.phrases.welcomeInTree : content.phrases.acknowledgedInTree;
    // "Ok yes please" asks for something and reports nothing: read as "it worked", it closed the
    // walk-through on a customer agreeing to carry on after being told no person could come.
    const agrees = this.deps.acknowledges(text) || (this.deps.bareAnswer(text) === 'yes' && PLEASE.test(text));
    // "good to know, bye": what was said taken in, then a goodbye, which ends the walk-through as one.
    const beforeBye = BYE_AFTER.exec(text)?.[1];
    const goodbye = beforeBye !== undefined && (this.deps.acknowledges(beforeBye) || this.afterAnswer.saysThanks(beforeBye)) ? this.moves.intentFor('goodbye') : undefined;
    if (!asking && goodbye) return this.moves.act(state, goodbye);
    // "good to know", "makes sense": taking in what was said answers no step, whatever a word of it reads as ("know").
    const takenIn = this.deps.acknowledges(text) && !AGREEING_OPENER.test(text);
    if (!asking && ((engine.yesCloses(tree) && agrees) || takenIn)) return { state, replies: [{ text: acknowledged }, this.moves.question(tree)] };
    const planned = goingOn ? undefined : this.steps.planned(state, tree, text);
    // "ok ill leave it. ty": the thanks is answered too.
    if (planned) return this.afterAnswer.saysThanks(text) ? { ...planned, replies: [{ text: content.phrases.welcomed }, ...planned.replies] } : planned;
    const fixInPlace = asking ? undefined : answerOfFixInPlace(this.deps, tree, text, state.askedText);
    if (fixInPlace !== undefined) return this.moves.advance(state, engine.choose(tree, fixInPlace));
    // "still failing. maybe ill just get that recovery software after all?" asks something beside it,
    // and "didnt help. person pls" asks for a person.
    if (!asking && this.steps.saysLastAnswerAgain(tree, text)) return this.meaning.askedForPerson(state, text, undefined) ?? this.moves.explainStep(state, tree, content.phrases.sameAsLastAnswer);
    // "Done that", "yep, restarted it": read as a yes, the walk-through would close as fixed, and "ok
    // done" as a goodbye would end it; neither says how it went, which is what the step asks. Done
    // again and again ("restarted it 5 times", "restarted twice already"), or already before this
    // message ("ya did that alredy"), or done with a request for the next fix ("did it. next"), it did not help.
    if (engine.yesCloses(tree)) {
      const choices = engine.choicesAt(tree);
      // "storage fine, restarted too": this step done as well as others, last in a list of what did not
      // help; first in one ("tried an older backup too, and the connection is fine"), what follows is read.
      const lastPart = answerClauses(text)?.at(-1);
      const doneToo = lastPart !== undefined && ALSO_DONE.test(lastPart) && this.deps.reportsDoing(choices, withoutAlso(lastPart));
      const toldDone = ((REPEATED.test(text) || ALREADY.test(text)) && this.deps.reportsDoing(choices, text.replace(EVERY_ALREADY, '').replace(/\s+/g, ' ').trim())) || doneToo || this.doneThenNo(tree, text) || (goingOn && this.deps.reportsDoing(choices, text));
      const no = toldDone ? this.moves.answerNo(state, tree) : undefined;
      if (no) return no;
      // "ok plugged in and on wifi now, thanks": the fix put in place just now says nothing yet of how it went.
      if (!asking && IN_PLACE_NOW.test(text) && !OUTCOME.test(text)) return this.askHowItWent(state, tree);
      // "Tried all 3 backups" is done in the words of the step's own "no" ("tried all three backups"): that answer.
      if (this.deps.reportsDoing(choices, text) && !readsOwnNoAt(this.deps, tree, text)) return this.askHowItWent(state, tree);
    }
    const timed = this.steps.elapsed(state, tree, text) ?? this.steps.aged(state, tree, text) ?? this.steps.sizeAsked(state, tree, text) ?? this.steps.spaceTold(state, tree, text) ?? this.steps.spaceNeeded(state, tree, text) ?? this.steps.lineTold(state, tree, text);
    if (timed) return timed;
    // "i dont have a storage option under icloud, i'm on iOS 7": the step's own way for that version, not a "no".
    const forVersion = linesForVersionTold(this.stepText(tree), text);
    if (forVersion.length > 0 && (readAt(this.deps, tree, text)?.score ?? 0) < SURE_READING) return this.linesThenQuestion({ ...state, misses: 0 }, tree, content.phrases.forYourVersion, forVersion);
    // "ok skipped it. its been 2 hours and still going, backup is 1.5gb" in another walk-through: a running
    // restore's time and size, told together, are a slow restore, with the estimate for that size.
    const rated = this.moves.ratedWalkThrough();
    if (rated?.tree && rated.tree !== tree.tree && tellsElapsed(text) && STILL_RUNNING.test(text)) return this.moves.startTopic(reset(state), rated, text);
    // "been like 2 hrs" in a walk-through about a running restore, answering none of its step: how long it
    // has run, so a slow one, with its rate; told it was out of scope, the customer heard nothing of time.
    const runningLong = content.trees.get(tree.tree)?.underway === true && tellsRunningFor(text) && (readAt(this.deps, tree, text)?.score ?? 0) < SURE_READING;
    if (rated?.tree && rated.tree !== tree.tree && runningLong) return this.moves.startTopic(reset(state), rated, text);
    // "Id rather get the newest to work, what else can i check": on to the next fix.
    const onwards = (WHAT_ELSE.test(text) || onlyGoOn(text)) && engine.yesCloses(tree) ? this.moves.answerNo(state, tree) : undefined;
    if (onwards) return onwards;
    const explain = PUZZLED.test(text) ? this.moves.intentFor('explain') : undefined;
    if (explain) return this.moves.explainStep(state, tree, explain.answer);
    // Read as an answer, "what other backups" was the other-backups step's "no, still failing"; and
    // "k wiping it now. anything else i need to do before i start" was the topic of getting more help.
    const echoed = (ECHOED.test(text) && this.deps.asksAbout(this.stepText(tree), text)) || ASKS_WHAT_FIRST.test(text);
    if (echoed) return this.moves.explainStep(state, tree, content.phrases.inThisStep);
    const reading = ASKS_HOW.test(text) ? null : this.steps.newsOf(tree, text);
    // "So i dont have to downgrade anything?" right after an answer beside the step checks what that
    // answer said: read for its "dont", it was the step's plain "no".
    const besideStep = asking && CHECKS_MEANING.test(text) && recognition.verdict !== 'match' && (!reading || reading.plain || reading.score < SURE_READING) ? this.linesOfLastWords(state, tree) : [];
    if (besideStep.length > 0) return this.linesThenQuestion(state, tree, content.phrases.againAfterAnswer, besideStep);
    const intent = this.meaning.meantInWalkThrough(recognition, text) ?? this.afterAnswer.signedOff(recognition, text);
    // "start over" shares "start" with "the restore started": a command the recogniser is sure of
    // beats any reading short of a very close one, or the bot would call the problem fixed.
    const command = this.meaning.sureCommand(intent, recognition);
    // Not following the step ("I don't get it") beats a plain yes or no its words half-match, never
    // an answer of this step's own: "no idea what her password is" says the password is not theirs.
    // Put as a question ("ok now what"), it beats any reading short of a sure one.
    const explainable = intent?.action !== 'explain' || !reading || reading.plain || reading.score < (asking ? sureReading(asking) : LOOSE_READING);
    // "All good now, no more popups" is the step's yes, not a goodbye: it ends the walk-through as fixed.
    const farewellAsYes = intent?.action === 'goodbye' && reading !== null && readsLoosely(reading) && engine.choicesAt(tree)[reading.index]?.means === 'yes';
    const acts = explainable && !farewellAsYes;
    if (intent && command && acts && !(reading && reading.score >= SURE_READING_OF_A_QUESTION)) {
      return intent.action === 'resume' ? this.moves.restate(state, tree) : this.actInTree(state, tree, text, intent);
    }
    const person = this.meaning.askedForPerson(state, text, intent);
    if (person) return person;
    // "Yes it says stop restoring and backup is dimmed" after the side answer on how to tell a restore is
    // running: what that answer said to look for, seen, whatever topic its words lean to (no backups, for "dimmed").
    const seen = !asking && SEEN.test(text) && (reading === null || reading.score < SURE_READING) && intent !== undefined && !intent.action && !this.moves.topicsOf(tree.tree).includes(intent.id) ? this.linesOfLastWords(state, tree, text) : [];
    if (seen.length > 0) return this.linesThenQuestion({ ...state, misses: 0 }, tree, content.phrases.caseFromLastAnswer, seen);
    const corrected = asking ? undefined : (this.steps.untriedStep(state, tree, text) ?? this.notDoneYet(state, tree, text) ?? this.backFromAside(state, tree, text) ?? this.steps.correction(state, tree, text) ?? this.steps.partlyTried(state, tree, text));
    if (corrected) return corrected;
    const listed = asking ? undefined : this.told.stepsListed(state, tree, text);
    if (listed) return listed;
    const clauses = answerClauses(text);
    const ahead = asking ? undefined : (this.parts.answerAhead(state, tree, text, reading, intent) ?? this.parts.subjectAhead(state, tree, text, reading));
    if (ahead) return ahead;
    const askedFirst = asking ? undefined : beforeContext(text);
    const headClauses = askedFirst === undefined ? undefined : answerClauses(askedFirst);
    const sureOfWhole = recognition.verdict === 'match' ? intent : undefined;
    const answeredAndAsked = asking ? ((clauses && this.parts.answerThenAsk(state, tree, clauses, sureOfWhole)) ?? this.parts.askThenAnswer(state, tree, text) ?? this.parts.answersThenQuestion(state, tree, text, intent, sureOfWhole) ?? this.parts.answerThenIfItMatters(state, tree, text)) : headClauses && this.parts.answerThenAsk(state, tree, headClauses);
    if (answeredAndAsked) return answeredAndAsked;
    // "its on 4g right now cause im out" at a step that asks for Wi-Fi: not done, so the step is the one to do now.
    if (!asking && OFF_WIFI.test(text) && WIFI.test(this.stepText(tree)) && engine.yesCloses(tree) && (reading === null || reading.score < SURE_READING)) return this.notDone(state, tree);
    if (!asking && this.parts.onlyDone(tree, reading, clauses ?? [text])) return this.askHowItWent(state, tree);
    const told = clauses && !asking && !CONTRAST.test(text) ? this.parts.outcomeAfterDoing(state, tree, clauses) : undefined;
    if (told) return told;
    // "I dont remember what the alert said, it vanished": a message that surely names a topic of its own
    // is no answer hidden in a story or beside an aside, however one of its parts reads ("it vanished").
    const about = new Set([...this.moves.topicsOf(tree.tree), ...engine.aboutAt(tree)]);
    const namesOther = intent !== undefined && !intent.action && !about.has(intent.id) && recognition.confidence >= SURE_TOPIC;
    const story = asking || namesOther ? undefined : this.stories.storyOutcome(state, tree, text);
    if (story) return story;
    // "power is fine", "the account is fine" at the other-backups step: a "yes" heard only in its "fine",
    // said of something other than the restore, would close the walk-through on a guess that it worked;
    // so would "found" in "found the backups bit on the mac, its empty too", and in "found it, its empty"
    // however sure, read clause by clause too.
    const guessedFixed = reading !== null && !reading.plain && ((reading.score < SURE_READING_OF_A_QUESTION && namesOtherAsFine(text)) || SAYS_EMPTY.test(text)) && engine.closesOn(tree, reading.index);
    // "The backups are all greyed out" at the other-backups step: a subject of the step the recogniser is
    // sure of, told in one breath in words the step's answers do not know ("greyed out"), is what stands in
    // the way of the step, not its "no" heard in a reading barely sure for the word they share ("backups");
    // its answer is given and the step's question waits.
    const toldSubject = intent !== undefined && !intent.action && engine.aboutAt(tree).includes(intent.id) && recognition.confidence >= SURE_TOPIC;
    // "Only one backup shows up" says how many there are: no others to try, the step's own "no".
    if (toldSubject && !asking && !clauses && !ONE_ONLY.test(text) && reading !== null && !reading.plain && reading.offStep.length > 0 && reading.score < SURE_READING_OF_A_QUESTION) {
      return { state: { ...state, misses: 0 }, replies: [{ text: intent.answer }, this.moves.question(tree)], events: askedAndAnswered(intent.id) };
    }
    if (reading && reading.score >= sureReading(asking) && !guessedFixed) {
      // "The other backups fail too and my wifi is fine": words this step's answers do not use may
      // answer the next step, when every clause surely answers the step open at that point.
      const several = clauses && reading.offStep.length > 0 ? this.parts.severalAnswers(state, tree, clauses) : undefined;
      return this.movedOn(state, tree, several ?? this.moves.advance(state, engine.choose(tree, reading.index)), text);
    }
    const several = clauses && !guessedFixed && (this.parts.severalAnswers(state, tree, clauses) ?? (asking || CONTRAST.test(text) ? undefined : this.parts.answerAmidAsides(state, tree, clauses)));
    if (several) return several;
    const aside = asking || namesOther ? undefined : this.stories.answerBeforeAside(state, tree, text);
    if (aside) return aside;

    if (intent?.action === 'reopen') return this.moves.answerNo(state, tree) ?? this.moves.reprompt(state, text);
    if (intent?.action === 'resume') return this.moves.restate(state, tree);
    if (intent?.action && intent.action !== 'none' && !SMALL_TALK.has(intent.action) && acts) return this.actInTree(state, tree, text, intent);

    // A statement that reads as one answer only ("way more than that free") is that answer, even when
    // a word of it ("more") half-matches a topic of its own; a clear topic or a question is asked.
    // So is one clause of it that surely answers, the rest saying nothing of the step: "didnt know there
    // were others, the older one worked!!" leaned to getting more help, whole.
    const clauseAnswers = () => (clauses ?? []).some((part) => {
      const said = readAt(this.deps, tree, part);
      return said !== null && !said.plain && said.offStep.length === 0 && said.score >= SURE_READING;
    });
    const answering = !asking && recognition.confidence < SURE_TOPIC && ((reading !== null && readsLoosely(reading)) || clauseAnswers());
    // A statement whose topic rests only on this step's answers' words ("did that twice already") is
    // about the step, however surely the topic claims it: "already" is also the already-set-up
    // topic's word, whose answer is to erase the device.
    // Unless the customer takes back what they said to tell of another problem with a walk-through
    // of its own: in "wait, actually it is restoring now, just really slow" the slow restore is news, however
    // "slow" also answers the Wi-Fi step.
    const changesProblem = correctionOf(text) !== undefined && intent?.tree !== undefined && intent.tree !== tree.tree;
    const claimedByStepWords = !asking && reading !== null && !changesProblem && !recognition.explanation.matched.some((term) => reading.offStep.includes(term) || reading.offStep.includes(`!${term}`));
    // "Where is that setting on iOS 7?", "what's Manage Storage?": a question in the step's own words
    // is about the step, whatever topic or none one of its words names. So is the one question of a
    // message that goes on to say why it asks ("where is it on ios 7? my old ipod is still on 7").
    const stepText = this.stepText(tree);
    const [question = '', ...why] = text.split(/(?<=\?)\s+/);
    const askedThenTold = why.length === 1 && !QUESTION.test(why[0] ?? '');
    const inStepWords = asking && (this.deps.asksAbout(stepText, text) || (askedThenTold && this.deps.asksAbout(stepText, question)));
    if (asking && ASKS_WHY_IT_HELPS.test(text)) {
      // "decent wifi yeah. and dont say storage, why would that matter": the answer told first moves on, and the next step says why.
      const told = sureAnswerAmong(this.deps, tree, toldParts(text));
      return told ? this.movedOn(state, tree, this.moves.advance(state, engine.choose(tree, told.index)), text) : this.moves.explainStep(state, tree, content.phrases.whyThisStep);
    }
    if (intent && !intent.action && !about.has(intent.id) && !answering && !claimedByStepWords) {
      if (inStepWords) return this.moves.explainStep(state, tree, content.phrases.inThisStep);
      // "Actually it just stopped with Cannot Restore Backup": a new problem with a walk-through of
      // its own, told rather than asked, is walked through; asked about, it is answered beside this one.
      // A question in one of its clauses ("before i do that, will i get my music back") asks too.
      const newProblem = !asking && !clauses?.some((clause) => QUESTION.test(clause)) && intent.tree !== undefined && intent.tree !== tree.tree;
      return newProblem ? (this.told.startedPastDone(state, intent, text) ?? this.moves.startTopic(reset(state), intent, text)) : this.moves.sideQuestion(state, tree, intent, text);
    }
    const ownSubject = intent && !intent.action && about.has(intent.id) && !this.moves.topicsOf(tree.tree).includes(intent.id);
    // A question is never read loosely as an answer: "how do I restart it with no home button" is not "no".
    // Nor is "it worked" heard in a loose reading barely ahead of "it didn't": "its on the coffee shop
    // wifi" is no "they've stopped" for a "shop" corrected to "stop", and calling the problem fixed
    // ends the walk-through.
    const fixedOnAHunch = reading !== null && reading.score < SURE_READING && reading.margin < 1.5 * READING_MARGIN && !reading.opensAlike && engine.yesCloses(tree) && engine.choicesAt(tree)[reading.index]?.means === 'yes';
    // "Yes the backup switch is grey and there's a Stop Restoring button" at "are you travelling?": an
    // opening yes with nothing else of the step's own is about the subject the rest surely names.
    const openerOnly = reading !== null && reading.score < LOOSE_READING && ownSubject === true && recognition.confidence >= SURE_TOPIC;
    // "ok restarted it, still says cannot restore. this is so annoying": the fix's "no", however few of its examples' words it shares.
    const stillFailing = reading !== null && STILL_FAILING.test(text) && engine.yesCloses(tree) && engine.choicesAt(tree)[reading.index]?.means === 'no';
    if (reading && (readsLoosely(reading) || stillFailing) && !asking && !fixedOnAHunch && !guessedFixed && !openerOnly) return this.movedOn(state, tree, this.moves.advance(state, engine.choose(tree, reading.index)), text);
    if (intent?.action && SMALL_TALK.has(intent.action)) return this.moves.act(state, intent);
    // "Ok cool" after a side question was answered and the step asked again: a bare acknowledgement no
    // choice reads is taken, and the step's question waits. Read as a yes it handed the chat to a
    // person ("shall I pass you to a person?"), or called a fix a success.
    if (!asking && reading === null && this.deps.bareAnswer(text) === 'yes') return { state, replies: [{ text: content.phrases.acknowledgedInTree }, this.moves.question(tree)] };
    // A question on this step's own subject, even one the recogniser is unsure of: answered, and the
    // step's question asked again. Unless the subject rests on what was told before the question:
    // "its charging and on wifi already. should i just erase it" asks about erasing.
    // So is a statement no answer reads ("the 8 cant go higher than ios 16 tho"), the recogniser clearly leaning to the subject.
    const toldAbout = reading === null ? this.meaning.clearlyAbout(recognition, engine.aboutAt(tree)) : undefined;
    const onSubject = ownSubject ? intent : asking ? this.meaning.unsureAbout(recognition, engine.aboutAt(tree)) : toldAbout;
    // "Before i try, does the restore bring my music back": a question after words that sink the whole
    // is asked about what it surely names, however unsure the recogniser is of the whole message.
    const asked = clauses ? this.steps.askedAfterTelling(text, clauses, about, sureOfWhole) : undefined;
    if (!onSubject && asked?.tree) return this.moves.sideQuestion(state, tree, asked, text);
    const subject = onSubject ? (asked && !asked.tree ? asked : onSubject) : asked;
    if (subject) {
      return { state: { ...state, misses: 0 }, replies: [{ text: subject.answer }, this.moves.question(tree)], events: askedAndAnswered(subject.id) };
    }
    // "What do you mean, stable?": a question with the step's own words is about the step, not out of
    // scope; so is "how do I take a screenshot?" asked about the walk-through's own topic.
    const ownTopic = asking && intent !== undefined && this.moves.topicsOf(tree.tree).includes(intent.id);
    // Past the step that explained it ("how do you even screenshot" at the offer of a person), the
    // walk-through's own topic is answered, as the open step does not say it.
    const explainedEarlier = ownTopic && !inStepWords && intent.answer && tree.node !== content.trees.get(tree.tree)?.start;
    if (explainedEarlier) return { state: { ...state, misses: 0 }, replies: [{ text: intent.answer }, this.moves.question(tree)], events: askedAndAnswered(intent.id) };
    if (inStepWords || ownTopic) return this.moves.explainStep(state, tree, content.phrases.inThisStep);
    // "It literally says cannot restore backup" before any step was answered: the problem the walk-through
    // is for, told again, answers none of its steps.
    const toldAgain = !asking && tree.path.length === 0 && recognition.verdict === 'match' && intent !== undefined && this.moves.topicsOf(tree.tree).includes(intent.id);
    if (toldAgain) return this.moves.explainStep(state, tree, content.phrases.problemToldAgain);
    const answeredBesideOutside = asking ? this.answerBesideOutside(state, tree, clauses, recognition) : undefined;
    if (answeredBesideOutside) return answeredBesideOutside;
    if (asking && reading && reading.score >= LOOSE_READING) return this.moves.reprompt(state, text);
    // A question the out-of-scope class only half-claims may be outside the bot ("who painted the
    // Mona Lisa?") or about the step ("and how am I supposed to check that?"): the scope is said,
    // and the whole step given again, whose instructions may be the answer.
    // One that points back at the step ("what if I skip it?") is given it again however surely it is out
    // of scope, and so is one no topic surely claims ("its on 17.something, is that latest?").
    const surelyOutside = recognition.verdict === 'out_of_scope' && recognition.confidence >= content.recognizer.threshold && !REFERS_BACK.test(text);
    // "ill try it myself first, what do i do": asked what to do, at a step that says what to do, the step is the answer.
    if (asking && WHAT_TO_DO.test(lastSentence(text))) return this.moves.explainStep(state, tree, content.phrases.whatToDoHere);
    if (asking && recognition.verdict !== 'match' && !surelyOutside) {
      return this.moves.reprompt(state, text, content.phrases.unsureInTree);
    }
    const outOfScope = intent?.action === 'none' || recognition.verdict === 'out_of_scope';
    // "It's a macbook", "it's an ipad with a home button": told in the step's own words, it is about
    // the step (which computer, which buttons), however far the words lie from every topic or
    // however unsure the recogniser is between one and none.
    if ((outOfScope || recognition.verdict !== 'match') && !asking && this.deps.tellsAbout(stepText, text)) return this.moves.explainStep(state, tree, content.phrases.inThisStep);
    // "id rather look on my laptop, its a windows one" after an answer beside the step that tells each
    // computer's way: the lines of the bot's last words that fit the case told, and the question again.
    const fitting = asking ? [] : this.linesOfLastWords(state, tree, text);
    if (fitting.length > 0) return this.linesThenQuestion({ ...state, misses: 0 }, tree, content.phrases.caseFromLastAnswer, fitting);
    if (outOfScope) {
      const misses = state.misses + 1;
      const question = this.moves.question(tree);
      const choices = [...(question.choices ?? []), ...(misses >= 2 ? [content.phrases.handoffChoice] : [])];
      return { state: { ...state, misses }, replies: [{ text: content.phrases.outOfScopeInTree }, { ...question, choices }], events: [unplacedInTree(tree, text)] };
    }
    return this.moves.reprompt(state, text);
  }

  /**
   * "i dont remember that password at all. how do i reset it": the step answered surely in the words
   * told first, then a question surely outside the bot. The answer moves the walk-through on, and the
   * customer is told that part is outside, rather than shown the step as if nothing was said.
   */
  private answerBesideOutside(state: ConversationState, tree: TreeState, clauses: readonly string[] | undefined, whole: Recognition): Outcome | undefined {
    const question = clauses?.at(-1);
    const told = clauses?.slice(0, -1) ?? [];
    if (!question || told.length === 0 || told.some((part) => QUESTION.test(part)) || !QUESTION.test(question)) return undefined;
    // The question alone may say too little to be sure of ("how do i reset it"); then the whole is.
    const sure = (recognition: Recognition) => recognition.verdict === 'out_of_scope' && recognition.confidence >= this.deps.content.recognizer.threshold;
    const asked = this.deps.recognize(question);
    if (!sure(asked) && !(sure(whole) && asked.verdict !== 'match')) return undefined;
    const reading = readAt(this.deps, tree, told.join(', '));
    if (!reading || reading.plain || reading.score < SURE_READING || reading.offStep.length > 0) return undefined;
    const moved = this.moves.advance(state, this.deps.engine.choose(tree, reading.index));
    return { ...moved, replies: [{ text: this.deps.content.phrases.partOutOfScope }, ...moved.replies] };
  }

  private stepText(tree: TreeState): string {
    return this.deps.engine.resume(tree).messages.map((message) => message.text).join('\n');
  }

  /** The walk-through moved on by the message's answer, and what else the message told: a problem of its own, or an aside after a contrast. */
  private movedOn(state: ConversationState, tree: TreeState, moved: Outcome, text: string): Outcome {
    return this.parts.problemBeside(state, tree, moved, text) ?? this.parts.withAside(moved, tree, text);
  }

  /** A command carried out inside a walk-through; an answer told before asking how many steps are left is taken first. */
  private actInTree(state: ConversationState, tree: TreeState, text: string, intent: Intent): Outcome {
    return this.parts.answerThenCount(state, tree, text, intent) ?? this.moves.act(state, intent);
  }

  private askHowItWent(state: ConversationState, tree: TreeState): Outcome {
    return { state, replies: [{ text: this.deps.content.phrases.howDidItGo }, this.moves.question(tree)] };
  }

  /** An agent hands the conversation back into a topic: the topic starts as if the customer asked. */
  startTopicById(state: ConversationState, intentId: string): Outcome {
    const intent = this.deps.content.intentById.get(intentId);
    if (!intent) throw new RangeError(`unknown intent '${intentId}'`);
    return this.moves.startTopic(reset(state), intent);
  }

  /**
   * A person was asked for and nobody can take the chat (no console, hub or agent there): the
   * walk-through the customer was in, open or kept beside a side question, is where they stay,
   * its question asked again, rather than lost to a handoff that cannot happen (at the step that
   * offered the person, accepted or asked for, the step's "no" follows instead). Outside one, a
   * problem told beside the request ("it says cannot restore backup. i want an actual human") is
   * taken up meanwhile.
   */
  keepPlace(before: ConversationState, handoff: Outcome): Outcome {
    const { tree, suspended } = before;
    const after = handoff.state;
    const asked = handoff.events?.find((event) => event.kind === 'handedOff');
    const topic = asked?.kind === 'handedOff' && asked.topic !== before.lastIntent ? asked.topic : undefined;
    const told = tree ? undefined : this.deps.content.intentById.get(topic ?? '');
    if (told) return this.moves.startTopic(reset(after), told);
    const state: ConversationState = { ...after, ...(tree ? { tree } : {}), ...(suspended ? { suspended } : {}) };
    // Asked for at the step that offers a person, the offer is not made again: that step's "no" (where
    // else to get help) is what is left.
    const declined = tree && this.deps.engine.offersPerson(tree) ? this.moves.answerNo(state, tree) : undefined;
    if (declined) return declined;
    return { state, replies: tree ? [this.moves.question(tree)] : [] };
  }

  /** An agent hands the conversation back at a chosen node of a tree. */
  resumeAt(state: ConversationState, treeId: string, nodeId: string): Outcome {
    return this.moves.advance(reset(state), this.deps.engine.start(treeId, nodeId), treeId);
  }

  /**
   * Feedback from the channel's own controls (Teams' feedback loop): about the answer still
   * waiting for it, else the conversation's last topic.
   */
  channelFeedback(state: ConversationState, helpful: boolean, comment?: string): Outcome {
    const about: FeedbackFor = state.feedback ?? (state.lastIntent ? { topic: state.lastIntent } : { topic: '' });
    return this.feedback.acknowledge(withoutFeedback(state), about, helpful, comment);
  }

  /**
   * The message answers the open feedback question, when it rates the answer. After a walk-through
   * that worked, "no, it's back" re-opens it: that reading comes first.
   */
  private typedFeedback(state: ConversationState, about: FeedbackFor, text: string): Outcome | undefined {
    const { reopen } = state;
    // "Cannot restore backup again" names the problem that was fixed: it is back, however its "cannot" reads as a rating.
    if (reopen && ((!this.deps.bareAnswer(text) && readsNoAt(this.deps, reopen, text)) || this.moves.matched(this.deps.recognize(text))?.tree === reopen.tree)) return undefined;
    // "So theyre not lost?" checks what the answer said, and "no i havent tried anything yet" says where
    // the customer is with the steps it points to: no rating, however its "not" or "no" reads.
    if ((QUESTION.test(text) && CHECKS_MEANING.test(text)) || this.afterAnswer.nothingTried(state, text)) return undefined;
    // "i'm on ios 7, don't see that": the answer gives that version its own way, which is what the customer needs, not a rating.
    const answered = this.deps.content.intentById.get(about.topic);
    if (answered && linesForVersionTold(answered.answer, text).length > 0) return undefined;
    const helpful = this.feedback.read(text);
    return helpful === undefined ? undefined : this.feedback.acknowledge(withoutFeedback(state), about, helpful);
  }

  /** Whether a message is only a yes ("ok" too) or a no, with a courtesy at most. */
  bareAnswer(text: string): 'yes' | 'no' | undefined {
    return this.deps.bareAnswer(text);
  }

  /** The topics a customer can pick from when nothing is open. */
  menu(): Reply {
    return this.moves.menu();
  }

  /** A click on (or the typed label or position of) a topic the bot just offered. */
  private pickOffered(state: ConversationState, text: string): Intent | undefined {
    const { content } = this.deps;
    const said = simplify(text);
    if (said === simplify(content.phrases.handoffChoice)) return this.moves.intentFor('handoff');
    if (said === simplify(content.phrases.somethingElseChoice)) return this.moves.intentFor('help');
    const position = state.offered.length > 0 ? ordinalIn(text, state.offered.length) : null;
    if (position !== null) return content.intentById.get(state.offered[position] ?? '');
    const menu = [...state.offered, ...content.phrases.menu].map((id) => content.intentById.get(id));
    return menu.find((intent) => intent && simplify(intent.title) === said);
  }
}

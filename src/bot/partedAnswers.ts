import type { Intent } from '../content/types.js';
import type { TreeState } from '../dialogs/engine.js';
import type { InsightEvent } from '../insights/events.js';
import type { ChoiceReading } from '../nlu/choiceReader.js';
import { ageAnswer } from './backupAge.js';
import { FAST_LINE_IN_WORDS, tellsFastConnection } from './connectionSpeed.js';
import { afterContrast, ALREADY, answerClauses, clausesAsked, lastSentence, PREFACE, QUESTION, questionClauses, SAYS_EMPTY, storyClauses, toldClauses, toldParts } from './messageShape.js';
import { SMALL_TALK, type Moves } from './moves.js';
import { answeredFirst, askedAndAnswered, reset, stepName, type Outcome } from './outcome.js';
import { agreesOnly, answerOfFixInPlace, closesBesideOtherWords, LOOSE_READING, readAt, readsLoosely, SURE_READING, SURE_READING_OF_A_QUESTION, sureAnswerAmong, sureReading, type ReadingDeps } from './readings.js';
import type { ConversationState } from './state.js';
import type { Reply } from './types.js';

/**
 * A message in several parts inside a walk-through: answers to more than one step, an answer beside
 * a question or an aside, an answer to the step after the open one, or only what was done. Each
 * method says when it applies and leaves the message to the next reading otherwise (undefined).
 */
export class PartedAnswers {
  constructor(
    private readonly deps: ReadingDeps,
    private readonly moves: Moves,
  ) {}

  /**
   * "Tried the other backups and the wifi's fine": two answers in one message, each to the step it
   * reaches. Only when every part reads surely as an answer to the step open at that point, so a
   * side question or an aside in one of them is never dropped. The customer sees the step reached.
   * After the first, a part that reads only as a plain yes or no ("tried another, same error")
   * says the first answer again, and one with words the next step does not know ("something else,
   * not network or password") is about the first; only words about the next step's subject answer it.
   */
  severalAnswers(state: ConversationState, tree: TreeState, told: readonly string[]): Outcome | undefined {
    let outcome: Outcome | undefined;
    let last: { at: TreeState; index: number } | undefined;
    const events: InsightEvent[] = [];
    for (const part of this.answersIn(tree, told)) {
      const at = outcome ? outcome.state.tree : tree;
      const reading = at && !QUESTION.test(part) ? readAt(this.deps, at, this.lineInWords(at, part)) : null;
      // "yeah its charging" at "are you travelling?": a yes beside words of another step agrees with them, and answers nothing here.
      const agreesElsewhere = reading !== null && reading.plain && reading.offStep.length > 0;
      const answers = at && reading && reading.score >= SURE_READING && !agreesElsewhere && !closesBesideOtherWords(this.deps, at, reading) && !(outcome && (reading.plain || reading.offStep.length > 0)) && !agreesOnly(this.deps, at, reading);
      // "My wifi is fine, it's fast fibre", "switched it off n on, still cannot restore": a part that
      // surely gives the last answer again, at least as surely as any answer to the step after, is more of it.
      const again = last && !QUESTION.test(part) ? readAt(this.deps, last.at, part) : null;
      // Heard only in the yes and no every step shares, it names no step of its own: it is how the last one went.
      if (again && again.score >= SURE_READING && again.index === last?.index && (!answers || again.plain || again.score >= (reading?.score ?? 0))) continue;
      if (!at || !reading || !answers) {
        // "…, restarted already this morning": after the first answer, a step told as already tried is
        // left to pastToldSteps, which goes past it once the walk-through reaches it.
        if (outcome && ALREADY.test(part)) continue;
        return undefined;
      }
      // "Other ones same, wifi is fine too and i already deleted loads of stuff", "space is fine as
      // well. restarted.": listed among steps that failed, a fix done is one more that did not help, not the fix.
      const doneBefore = outcome !== undefined && (ALREADY.test(part) || this.deps.reportsDoing(this.deps.engine.choicesAt(at), part)) && this.deps.engine.choicesAt(at)[reading.index]?.means === 'yes';
      const next = doneBefore ? this.moves.answerNo(outcome?.state ?? state, at) : undefined;
      outcome = next ?? this.moves.advance(outcome?.state ?? state, this.deps.engine.choose(at, reading.index));
      last = { at, index: reading.index };
      events.push(...(outcome.events ?? []));
    }
    return outcome && { ...outcome, events };
  }

  /**
   * "Wifi is good, speedtest says 200 down", "my wifi is fibre": at a step about the connection, each
   * clause telling of a fast line put into the words the answers use ("the wifi works fine"), which
   * know no speed ("200 down" read as "Wi-Fi is slow or down", "fibre" as "no Wi-Fi" for sharing only
   * "wifi" with it); the message as it was elsewhere, or when no clause tells of one.
   */
  lineInWords(tree: TreeState, text: string): string {
    const clauses = clausesAsked(text);
    if (!clauses.some(tellsFastConnection)) return text;
    const topic = this.moves.matched(this.deps.recognize(FAST_LINE_IN_WORDS))?.id;
    if (!topic || !this.deps.engine.aboutAt(tree).includes(topic)) return text;
    return clauses.map((clause) => (tellsFastConnection(clause) ? FAST_LINE_IN_WORDS : clause)).join(', ');
  }

  /**
   * The answers among a message's clauses: a preface says nothing ("before u ask: wifi is fine"), and
   * an opening clause that answers nothing surely is one answer with the next ("tried the older one,
   * same"), when together they surely answer the open step.
   */
  private answersIn(tree: TreeState, told: readonly string[]): string[] {
    const parts = told.map((part) => part.replace(PREFACE, '').trim()).filter((part) => part.length > 0);
    const [first, second, ...rest] = parts;
    if (first === undefined || second === undefined || (readAt(this.deps, tree, first)?.score ?? 0) >= SURE_READING) return parts;
    const joined = `${first}, ${second}`;
    return (readAt(this.deps, tree, joined)?.score ?? 0) >= SURE_READING ? [joined, ...rest] : parts;
  }

  /**
   * "Restore has been going 5 hrs… im in portugal on holiday": a walk-through just begun whose first
   * step asks how things are (`toldUpFront`) is already answered when one told part of the message
   * that began it surely reads as one of its answers, in words of its own rather than a bare yes or
   * no; asked anyway, the customer hears a question they answered. Parts that answer differently leave
   * the step asked.
   */
  answeredInOpening(outcome: Outcome): Outcome {
    const { engine } = this.deps;
    const at = outcome.state.tree;
    const said = outcome.state.askedText;
    if (!at || !said || !engine.toldUpFront(at)) return outcome;
    // "im on holiday abroad" names the slow restore's topic too: a part is read for the step whatever topic it leans to.
    // A message of one clause names the problem: only a time told in it answers. A time told goes
    // before any reading of words ("theres no backups" reads as "there's the backup").
    const parts = toldClauses(said);
    const told = (parts ?? [said]).filter((part) => !QUESTION.test(part));
    // The message that began the walk-through tells the problem: no answer of it closes the walk-through as
    // solved ("signed in w personal but no backups show up" is no "the backup shows up now").
    const read = told.flatMap((part) => {
      const reading = parts ? readAt(this.deps, at, part) : null;
      return reading && !reading.plain && reading.score >= SURE_READING_OF_A_QUESTION && !engine.closesOn(at, reading.index) ? [reading.index] : [];
    });
    const first = this.agedAnswer(at, told) ?? (read.every((index) => index === read[0]) ? read[0] : undefined);
    if (first === undefined) return outcome;
    let moved = outcome;
    let open: TreeState | undefined = at;
    let index: number | undefined = first;
    // "havent used my old ipad in over a year": the time told answers every step on from it that checks how long ago.
    while (open && index !== undefined) {
      const step: TreeState = open;
      const next = this.moves.advance(moved.state, engine.choose(step, index));
      // Each step answered keeps its own words before its question (the topic's answer); the question goes.
      const asked = engine.resume(step).messages[0]?.text;
      const shown = moved.replies.flatMap((reply) => (reply.text === asked ? this.beforeQuestion(step) : [reply]));
      moved = { ...next, replies: [...shown, ...next.replies], events: [...(moved.events ?? []), ...(next.events ?? [])] };
      open = moved.state.tree;
      index = open ? this.agedAnswer(open, told) : undefined;
    }
    return moved;
  }

  /** The one answer a time told in `told` gives at a step that checks how long ago, if it gives one. */
  private agedAnswer(at: TreeState, told: readonly string[]): number | undefined {
    const check = this.deps.engine.ageAt(at);
    const aged = check ? told.flatMap((part) => ageAnswer(check, this.deps.engine.choicesAt(at), part) ?? []) : [];
    return aged.length > 0 && aged.every((index) => index === aged[0]) ? aged[0] : undefined;
  }

  /** A step's own words before its question, as a reply: what stays when the question is answered. */
  private beforeQuestion(at: TreeState): Reply[] {
    const [step] = this.deps.engine.resume(at).messages;
    const text = step?.text ?? '';
    const before = text.slice(0, text.lastIndexOf(this.deps.engine.question(at).text)).trim();
    return before ? [{ text: before }] : [];
  }

  /**
   * "Wifi is fine, router is right next to me" said at the other-backups step: the customer has moved
   * on to the next step's subject, so this step did not help (or, asked "did you capture it?", was
   * done: "it came back, says something about connecting"), and what they said answers the next
   * one. Only when the message is no answer of this step's own, names the next step's subject (its
   * topic recognised), and is surely a particular answer there (not "it's restoring now", which would
   * credit a step they never reached): "its an old ipad, hasnt backed up since 2022" read as an
   * answer about the iOS version.
   */
  answerAhead(state: ConversationState, tree: TreeState, text: string, reading: ChoiceReading | null, intent: Intent | undefined): Outcome | undefined {
    const { engine } = this.deps;
    // A reading of this step's own words stands, unless it is a loose "no" beside words of another
    // subject ("the router is in the same room" is "same error" to the other-backups step).
    const own = reading && !reading.plain && reading.score >= LOOSE_READING;
    const looseNo = own && reading.score < SURE_READING && reading.offStep.length > 0 && engine.choicesAt(tree)[reading.index]?.means === 'no';
    // Nor does a "yes" heard only in words that fit any subject ("wifi is fine" as "that worked").
    const vagueYes = own && reading.score < SURE_READING_OF_A_QUESTION && reading.offStep.length > 0 && engine.choicesAt(tree)[reading.index]?.means === 'yes';
    if (own && !looseNo && !vagueYes && !agreesOnly(this.deps, tree, reading)) return undefined;
    // Named whole, or leaned to by one clause ("ok it came back, says something about connecting to the
    // internet"): the sure particular answer it must also give at the next step is the proof.
    const named = [...(intent ? [intent.id] : []), ...(answerClauses(text) ?? []).flatMap((part) => this.moves.leanedTo(this.deps.recognize(part)))];
    const aheadOnly = (at: TreeState | undefined) => at !== undefined && named.some((id) => engine.aboutAt(at).includes(id) && !engine.aboutAt(tree).includes(id));
    // The step the walk-through goes on to; at a question that does not close it ("are you travelling?"),
    // whichever of its yes and no leads to the subject named ("charging and on wifi": the basics, when at home).
    const branches = engine.yesCloses(tree) ? [this.moves.answerOnwards(state, tree)] : [this.moves.answerOnwards(state, tree), this.moves.answerNo(state, tree)];
    const passed = branches.find((branch) => aheadOnly(branch?.state.tree));
    const next = passed?.state.tree;
    if (!passed || !next) return undefined;
    const there = engine.choicesAt(next).length > 0 ? readAt(this.deps, next, text) : null;
    if (!there || there.plain || there.score < SURE_READING) return undefined;
    // A yes that ends the walk-through there ("it's restoring now") would credit a fix never reached;
    // one that only moves on ("charging and on wifi" at "were both of those OK?") is told.
    if (engine.choicesAt(next)[there.index]?.means === 'yes' && engine.yesCloses(next)) return undefined;
    // Words of its own ("router is right next to me") may stand beside a clause that says it in the step's words.
    const said = (answerClauses(text) ?? [text]).some((part) => {
      const reading = readAt(this.deps, next, part);
      return reading?.index === there.index && !reading.plain && reading.offStep.length === 0 && reading.score >= SURE_READING;
    });
    if (!said) return undefined;
    const outcome = this.moves.advance(passed.state, engine.choose(next, there.index));
    // Gone on by a "yes" ("got the screenshot"), the step did its part: nothing to take as failed.
    const failed = engine.yesCloses(tree) ? [this.tookAsNoHelp(tree)] : [];
    return { ...outcome, replies: [...failed, ...outcome.replies], events: [...(passed.events ?? []), ...(outcome.events ?? [])] };
  }

  /**
   * "Hmm i do have 2 apple ids, a gmail one and an icloud one" at the iOS version step: a statement
   * one clause of which surely names the next step's subject, and nothing this step's, is the
   * customer ahead of the walk-through. This step did not help, and the next one says what to do with
   * what they told; read whole, the message was out of scope.
   */
  subjectAhead(state: ConversationState, tree: TreeState, text: string, reading: ChoiceReading | null): Outcome | undefined {
    const { engine } = this.deps;
    // A loose reading beside words of another subject is no answer: "a work one" is not "it worked".
    const own = reading && !reading.plain && (reading.score >= SURE_READING || (reading.score >= LOOSE_READING && reading.offStep.length === 0));
    if (own || !engine.yesCloses(tree)) return undefined;
    const passed = this.moves.answerNo(state, tree);
    const next = passed?.state.tree;
    if (!passed || !next) return undefined;
    const here = new Set([...this.moves.topicsOf(tree.tree), ...engine.aboutAt(tree)]);
    const named = (answerClauses(text) ?? [text]).map((part) => this.moves.matched(this.deps.recognize(part))?.id);
    const ahead = named.some((id) => id !== undefined && engine.aboutAt(next).includes(id)) && !named.some((id) => id !== undefined && here.has(id));
    return ahead ? { ...passed, replies: [this.tookAsNoHelp(tree), ...passed.replies] } : undefined;
  }

  /** "I'll take it that step 2, iOS version, didn't help": said when the customer is ahead of the walk-through. */
  private tookAsNoHelp(tree: TreeState): Reply {
    return { text: this.deps.content.phrases.answeredAhead.replace('{step}', stepName(this.deps.engine.whereAt(tree))) };
  }

  /**
   * "wifi is good and it is charge. i try again and now in settings i see 'Stop Restoring', what is
   * mean?": answers told in the sentences before, then a question in a sentence of its own, which is
   * read whole, so what it asks about ("what is mean?") stays with it, however many clauses there are.
   * When the question alone names no topic, the one the whole message leans to is what it asks ("found
   * it. …how do we know its actually doing something" is unsure alone).
   */
  answersThenQuestion(state: ConversationState, tree: TreeState, text: string, leaning?: Intent, whole?: Intent): Outcome | undefined {
    const question = lastSentence(text);
    const told = text.slice(0, text.lastIndexOf(question)).trim();
    if (told === '' || !QUESTION.test(question) || QUESTION.test(told)) return undefined;
    // The whole message's sure topic, when the question alone has it among its first two: "why three,
    // i only have one ipad" leans to another device's backup, "there are three backups listed. why
    // three, …" surely asks which backup.
    const sure = whole && this.moves.amongFirstTwo(this.deps.recognize(question), whole) ? whole : undefined;
    return this.answerThenAsk(state, tree, [...(answerClauses(told) ?? [told]), question], sure, leaning);
  }

  /**
   * "space is fine, next. how many more?": the answer told before asking how many steps are left moves
   * the walk-through on first, and the count is of the step reached, which follows it whole. Never a
   * bare "ok" ahead of the question, which answers nothing.
   */
  answerThenCount(state: ConversationState, tree: TreeState, text: string, count: Intent): Outcome | undefined {
    const told = sureAnswerAmong(this.deps, tree, toldParts(text));
    if (count.action !== 'progress' || !told || told.plain || agreesOnly(this.deps, tree, told)) return undefined;
    const moved = this.moves.advance(state, this.deps.engine.choose(tree, told.index));
    const [counted] = moved.state.tree ? this.moves.act(moved.state, count).replies : [];
    return counted ? { ...moved, replies: [counted, ...moved.replies] } : moved;
  }

  /**
   * "i dont know his password tho. do i have to?": an answer, then whether it matters. The answer moves
   * the walk-through on, and the next step, which says what follows from it, answers the question.
   */
  answerThenIfItMatters(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const question = lastSentence(text);
    const told = text.slice(0, text.lastIndexOf(question)).trim();
    if (told === '' || !IF_IT_MATTERS.test(question) || QUESTION.test(told)) return undefined;
    // "im in a hotel in portugal atm, i made the backup at home in the uk": read whole, the two places
    // pull apart; the clauses that surely answer, all the same way, are the answer.
    const sure = (part: string) => {
      const reading = readAt(this.deps, tree, part);
      return reading && !reading.plain && reading.score >= SURE_READING && !agreesOnly(this.deps, tree, reading) ? reading : undefined;
    };
    const whole = sure(told);
    const answers = whole ? [whole] : (answerClauses(told) ?? []).flatMap((part) => sure(part) ?? []);
    const [answer] = answers;
    return answer && answers.every((other) => other.index === answer.index) ? this.moves.advance(state, this.deps.engine.choose(tree, answer.index)) : undefined;
  }

  /** "Does it bring my apps back too? anyway the older ones fail the same": the question first, its "?" ending it, then the answers. */
  askThenAnswer(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const [question, ...answers] = questionClauses(text) ?? [];
    return question?.endsWith('?') && answers.length > 0 ? this.answerThenAsk(state, tree, [...answers, question]) : undefined;
  }

  /**
   * "Wifi works. btw if it does work how long will it take": answers, then a question on a topic of
   * its own. The question is answered and the answers move the walk-through on, so neither is lost.
   * Answers that read as no one step's each ("switched to the home wifi, speed test looks fine, still
   * cant restore") may read loosely as one together. The question is the whole message's topic when
   * the recogniser is sure of one: "the only other backups are from my old ipad, can i even use one of
   * those on the iphone?" asks about another device's backup, which its last clause alone leaves out.
   */
  answerThenAsk(state: ConversationState, tree: TreeState, clauses: readonly string[], whole?: Intent, leaning?: Intent): Outcome | undefined {
    // "wifi good. also earlier it asked me for 2 apple id passwords, is that related?": a question pointing back asks about the clause before it.
    const pointsBack = clauses.length > 2 && POINTS_BACK.test(clauses.at(-1) ?? '');
    const question = pointsBack ? clauses.slice(-2).join(', ') : clauses.at(-1);
    const answers = clauses.slice(0, pointsBack ? -2 : -1);
    if (!question || !QUESTION.test(question) || answers.some((part) => QUESTION.test(part))) return undefined;
    const recognition = this.deps.recognize(this.askedPart(question));
    // Unless the whole leans only with the words told, off the step's subject, and the question surely
    // names a topic of its own: "its plugged in and on wifi already. also can i use my phone while its
    // doing this" asks about using the device, not Wi-Fi.
    const toldOnly = whole !== undefined && !this.deps.engine.aboutAt(tree).includes(whole.id) && this.moves.matched(this.deps.recognize(answers.join(', ')))?.id === whole.id && this.moves.matched(recognition) !== undefined;
    const wholeTopic = whole && !whole.action && !whole.tree && !toldOnly ? whole : undefined;
    const topic = wholeTopic ?? this.moves.matched(recognition) ?? this.moves.clearLeader(recognition.candidates) ?? (leaning?.tree ? undefined : leaning);
    if (!topic || topic.action || topic.tree === tree.tree || this.moves.topicsOf(tree.tree).includes(topic.id)) return undefined;
    // "theres 2 backups one from march and one from yesterday which do i pick": told before a question on
    // how to do the step, on its own subject, the words are what the question is about, not the step tried.
    if (ASKS_HOW_TO_DO.test(question) && this.deps.engine.aboutAt(tree).includes(topic.id)) return undefined;
    const [only] = answers;
    const reading = answers.length === 1 && only !== undefined ? readAt(this.deps, tree, only) : null;
    // Before a question on the step's own subject that only the whole message names, words that read no
    // more surely than a question would are what it asks about: "there are three backups listed. why
    // three, …" is no "just the one backup"; "tried the other 2. quick q: does icloud keep backups forever?" still is.
    const ownSubject = this.deps.engine.aboutAt(tree).includes(topic.id) && this.moves.matched(recognition)?.id !== topic.id;
    const together = () => {
      const joined = readAt(this.deps, tree, answers.join(', '));
      return joined && joined.score >= LOOSE_READING && !closesBesideOtherWords(this.deps, tree, joined) ? this.moves.advance(state, this.deps.engine.choose(tree, joined.index)) : undefined;
    };
    // "wifi is good and it is charge. … what is mean?" at the other-backups step: answers to the next step given early.
    const ahead = () => {
      const told = answers.join(', ');
      return this.answerAhead(state, tree, told, readAt(this.deps, tree, told), this.moves.matched(this.deps.recognize(told)));
    };
    const sure = reading && reading.score >= sureReading(ownSubject) && !agreesOnly(this.deps, tree, reading) ? reading : null;
    // "its plugged in and on wifi already. also can i use my phone…" at a step to stop alerts: the fix was in place all along.
    const inPlace = () => {
      const index = answerOfFixInPlace(this.deps, tree, answers.join(', '), state.askedText);
      return index === undefined ? undefined : this.moves.advance(state, this.deps.engine.choose(tree, index));
    };
    const answered = (reading ? sure && this.moves.advance(state, this.deps.engine.choose(tree, sure.index)) : (this.severalAnswers(state, tree, answers) ?? together())) ?? ahead() ?? inPlace();
    if (!answered) return undefined;
    return answeredFirst(answered, [{ text: topic.answer }], askedAndAnswered(topic.id));
  }

  /**
   * "How can we tell its really going, my mum keeps asking every 5 minutes lol": what a question asks,
   * without the clauses after it that ask nothing and name no topic, its story, which left the whole
   * out of scope.
   */
  private askedPart(question: string): string {
    const parts = storyClauses(question);
    const asked = parts.findLastIndex((part) => QUESTION.test(part));
    if (asked < 0 || asked === parts.length - 1) return question;
    const story = parts.slice(asked + 1).every((part) => this.moves.matched(this.deps.recognize(part)) === undefined);
    return story ? parts.slice(0, asked + 1).join(', ') : question;
  }

  /**
   * "Got it, it says cannot restore backup": the answer to a step that fixes nothing (a screenshot
   * taken) beside a clause that surely tells of a problem with a walk-through of its own is that
   * problem, told before the bot asks what the alert says. Never beside the answer to a fix, where
   * "it worked, no more cannot restore backup" names the problem gone.
   */
  problemBeside(state: ConversationState, tree: TreeState, moved: Outcome, text: string): Outcome | undefined {
    if (this.deps.engine.yesCloses(tree) || !moved.state.tree) return undefined;
    const chosen = this.deps.engine.choicesAt(tree).findIndex((choice) => choice.label === moved.state.tree?.path.at(-1)?.answer);
    for (const part of toldClauses(text) ?? []) {
      // "i have like 2 apple ids, work one and personal" at the no-backups step is its answer (a different account), not the passwords problem it also names.
      if (readAt(this.deps, tree, part)?.index === chosen) continue;
      const recognition = this.deps.recognize(part);
      const problem = QUESTION.test(part) ? undefined : this.moves.matched(recognition);
      if (problem?.tree && !problem.action && problem.tree !== tree.tree && recognition.confidence >= SURE_PROBLEM) return this.moves.startTopic(reset(state), problem, text);
    }
    return undefined;
  }

  /**
   * "Yes, an older one worked, but it's missing my recent photos": the answer moves the walk-through
   * on, and a topic the words after the contrast surely name is answered first, so what the customer
   * raised is not dropped. Not a topic of this walk-through or of the step reached, whose text says it.
   */
  withAside(outcome: Outcome, tree: TreeState, text: string): Outcome {
    const after = afterContrast(text);
    if (!after || (readAt(this.deps, tree, after)?.score ?? 0) >= SURE_READING) return outcome;
    const topic = this.moves.matched(this.deps.recognize(after));
    const reached = outcome.state.tree ? this.deps.engine.aboutAt(outcome.state.tree) : [];
    if (!topic || topic.action || topic.tree || this.moves.topicsOf(tree.tree).includes(topic.id) || reached.includes(topic.id)) return outcome;
    return answeredFirst(outcome, [{ text: topic.answer }], askedAndAnswered(topic.id));
  }

  /**
   * "Phone is charging and on wifi yeah": a yes heard only loosely, in the shared examples, beside
   * words of its own, says the step was done, not that it fixed the problem, which would close the
   * walk-through. Unless one clause says how it went and nothing else: "moved to a better network and it worked".
   */
  onlyDone(tree: TreeState, reading: ChoiceReading | null, parts: readonly string[]): boolean {
    const { engine } = this.deps;
    const looseYes = reading?.plain === true && reading.score < SURE_READING && reading.offStep.length > 0 && engine.choicesAt(tree)[reading.index]?.means === 'yes';
    if (!looseYes || !engine.yesCloses(tree)) return false;
    return !parts.some((part) => {
      const said = readAt(this.deps, tree, part);
      return said !== null && said.score >= SURE_READING && said.offStep.length === 0;
    });
  }

  /**
   * "Tried an older one and it restored": read whole, "tried" made it "tried all three backups".
   * Clauses that only say what was done leave the answer to the one clause that says how it went,
   * even where that reads only loosely ("it restored"), and only in this step's words: in "tried an
   * older backup too, and the connection is fine" the connection answers the next step.
   */
  outcomeAfterDoing(state: ConversationState, tree: TreeState, parts: readonly string[]): Outcome | undefined {
    const { engine, reportsDoing } = this.deps;
    const told = parts.filter((part) => !reportsDoing(engine.choicesAt(tree), part));
    const [outcome] = told;
    if (told.length !== 1 || parts.length === 1 || !outcome || QUESTION.test(outcome)) return undefined;
    const reading = readAt(this.deps, tree, outcome);
    return reading && readsLoosely(reading) && reading.offStep.length === 0 ? this.moves.advance(state, engine.choose(tree, reading.index)) : undefined;
  }

  /**
   * "Moved next to the router and it worked!", "restarted it, no luck": one clause answers, the others only tell how. The
   * answer counts when no other clause asks, reads as an answer, or names a topic or command of its
   * own, so nothing the customer reports is lost. Never across a contrast: in "it worked but now it's
   * stuck at 50%" the news is after the "but", and no clause of it names a topic surely.
   */
  answerAmidAsides(state: ConversationState, tree: TreeState, parts: readonly string[]): Outcome | undefined {
    // "Yep, did that" only says the step was done: in "yep did that, still broken" its "yep" is no answer.
    const doing = parts.map((part) => this.deps.reportsDoing(this.deps.engine.choicesAt(tree), part));
    const readings = parts.map((part, index) => (QUESTION.test(part) || doing[index] ? null : readAt(this.deps, tree, part)));
    const answers = readings.filter((reading) => reading && reading.score >= SURE_READING);
    const answer = answers.length === 1 ? answers[0] : undefined;
    if (!answer) return undefined;
    const aside = (part: string, index: number): boolean => {
      // "the older one worked!! its restoring now": a clause reading loosely the same way agrees with the answer.
      if (readings[index] === answer || readings[index]?.index === answer.index || doing[index]) return true;
      // "found the backups bit on the mac, its empty too": what was found is empty, which is news, not an aside.
      if (QUESTION.test(part) || (readings[index]?.score ?? 0) >= LOOSE_READING || SAYS_EMPTY.test(part)) return false;
      const recognition = this.deps.recognize(part);
      const said = this.moves.matched(recognition);
      // A clause no topic claims surely ("ok moved to a better network", unsure between the alerts and
      // nothing) tells how, like one nothing claims at all. So does not having known ("didnt know there
      // were others"), told beside the answer rather than asked.
      return recognition.verdict === 'out_of_scope' || recognition.verdict === 'unsure' || said?.action === 'none' || said?.action === 'explain' || SMALL_TALK.has(said?.action ?? '');
    };
    return parts.every(aside) ? this.moves.advance(state, this.deps.engine.choose(tree, answer.index)) : undefined;
  }
}

/** How surely a clause beside an answer must name a problem of its own to be taken up in place of the next step. */
const SURE_PROBLEM = 0.9;
/** "Do i have to?", "is that a problem?": whether what was just told matters, asking nothing else. */
const IF_IT_MATTERS = /^\W*(?:(?:so|but|and|then|ok|okay)\W+)?(?:(?:do|must|will|would|should)\s+i\s+(?:really\s+|still\s+)?(?:have to|need to|need it|gotta)(?:\s+(?:know it|know that|have it|enter it|do it|do that))?|(?:is|will|would) (?:that|it|this) (?:be )?(?:ok|okay|a problem|an issue|bad|matter)|(?:does|would|will|could) (?:that|it|this) (?:matter|make a difference|affect it|slow it down))\W*$/i;
/** "Which do i pick", "how do i choose one": asking how to do what a step asks, so not done yet. */
const ASKS_HOW_TO_DO = /\b(?:which|how)\b.*\b(?:pick|choose|select|use)\b|^\W*which (?:ones?|backups?|of them)\W*$/i;
/** "Is that related?", "could that be it?": a short question about what was just told. */
const POINTS_BACK = /^\s*(?:is|was|could|would|does|did|can|might)\s+(?:that|this|it)\b[^,;.]{0,30}\?\s*$/i;


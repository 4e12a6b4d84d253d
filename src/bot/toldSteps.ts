import type { Intent } from '../content/types.js';
import type { TreeState } from '../dialogs/engine.js';
import { aboutFreeSpace, smallFreeAlone, spaceAgainstBackup, withSpaceInWords } from './freeSpace.js';
import { ALREADY, CONCEDED, EVERY_ALREADY, NEWEST_ONLY, PREFACE, QUESTION, REPEATED, POWER_SOURCE, toldClauses, UNPOWERED, UNTRIED } from './messageShape.js';
import { SMALL_TALK, type Moves } from './moves.js';
import { reset, type Outcome } from './outcome.js';
import { LOOSE_READING, READING_MARGIN, SURE_READING, type ReadingDeps } from './readings.js';
import type { ConversationState } from './state.js';

/**
 * Steps the customer says were already tried: a walk-through started or moved past them ("cannot
 * restore, I already restarted it and tried the older backups"), a list of them naming the
 * walk-through, and whether one message part names a step as tried. Each method says when it
 * applies and leaves the message to the next reading otherwise (undefined).
 */
export class ToldSteps {
  constructor(
    private readonly deps: ReadingDeps,
    private readonly moves: Moves,
  ) {}

  /**
   * A walk-through asked for in a message that also says which of its steps were already tried,
   * started past them; undefined when the message names none. Before several questions are looked
   * for: "i already went through all three backups" names a step, not the already-set-up topic.
   */
  startedPastDone(state: ConversationState, intent: Intent | undefined, text: string, parts = toldClauses(text)): Outcome | undefined {
    if (!parts || !intent?.tree || intent.action) return undefined;
    let past: Outcome | undefined;
    const outcome = this.moves.startTopic(reset(state), intent, text, (started) => {
      past = this.pastDone(started, parts);
      return past ?? started;
    });
    return past ? outcome : undefined;
  }

  /**
   * "Can't restore, went through the older backups, the wifi works": the whole leans to
   * no topic, but one part surely names a problem with a walk-through of its own.
   */
  problemPart(text: string): Intent | undefined {
    const parts = toldClauses(text) ?? [];
    // A word alone names no problem: "restored" in "restored but everything from the last 2 weeks is missing" is no failed restore.
    const problems = parts.filter((part) => /\s/.test(part.trim())).flatMap((part) => {
      const intent = this.moves.matched(this.deps.recognize(part));
      return intent?.tree && !intent.action ? [{ part, intent }] : [];
    });
    // "New backup, old backup, wifi, restarted. STILL cannot restore backup": of several, the problem
    // whose walk-through the other parts tell most steps of, not "old backup" for coming first.
    if (problems.length < 2) return problems[0]?.intent;
    const fits = problems.map(({ part, intent }) => parts.filter((other) => other !== part && this.triedIn(intent.tree as string, other)).length);
    const best = Math.max(...fits);
    return problems[fits.indexOf(best)]?.intent;
  }

  /**
   * "Cant restore backup on my iphone 12. before you ask ive already restarted it twice and its on
   * the latest ios": a problem with a walk-through of its own, told beside nothing but steps of it
   * already tried, is that walk-through, however the whole leans to another topic ("already" is the
   * already-set-up topic's word, whose answer is to erase the device). The steps told are gone past,
   * at once when they begin it, else when the walk-through reaches them. A greeting or a plea ("pls
   * help") beside them is no topic.
   */
  problemWithStepsTried(state: ConversationState, text: string): Outcome | undefined {
    const parts = toldClauses(text);
    const problem = this.problemPart(text);
    if (!parts || !problem?.tree) return undefined;
    const rest = parts.filter((part) => {
      if (DID_EVERYTHING.test(part)) return false;
      const said = this.moves.matched(this.deps.recognize(part));
      return said?.id !== problem.id && !(said?.action && (SMALL_TALK.has(said.action) || said.action === 'help'));
    });
    const tried = rest.length > 0 && rest.every((part) => !QUESTION.test(part) && this.triedIn(problem.tree as string, part));
    return tried ? (this.startedPastDone(state, problem, text) ?? this.moves.startTopic(reset(state), problem, text)) : undefined;
  }

  /**
   * "i already did ALL of that stuff from google. other backups, wifi, freeing space, restarting":
   * inside a walk-through, a list of its steps told as tried goes past each, from the open one on,
   * when it names at least three of them in a row. One or two are answers, read as answers are:
   * "tried that, no good" passes the open step only, its "no good" being no step of its own.
   */
  stepsListed(state: ConversationState, tree: TreeState, text: string): Outcome | undefined {
    const parts = toldClauses(text);
    return parts && !QUESTION.test(text) ? this.pastDone({ state: { ...state, tree }, replies: [] }, parts, LISTED_STEPS) : undefined;
  }

  /**
   * "already tried everything, restarted, updated, different backup, wifi, nothing works": no problem
   * named, but at least three steps of one walk-through told as tried name it. That walk-through,
   * past them; of several, the one they tell most steps of.
   */
  walkThroughListed(state: ConversationState, text: string): Outcome | undefined {
    const parts = toldClauses(text);
    if (!parts || QUESTION.test(text)) return undefined;
    const told = this.deps.content.intents.filter((intent) => intent.tree && !intent.action).map((intent) => ({ intent, count: parts.filter((part) => this.triedIn(intent.tree as string, part)).length }));
    const [most] = told.sort((a, b) => b.count - a.count);
    return most && most.count >= LISTED_STEPS ? this.startedPastDone(state, most.intent, text, parts) : undefined;
  }

  /**
   * Whether a part surely names a problem with a walk-through of its own that the step is not about:
   * "ok well its not slow, it just fails" tells of the restore's speed, not a Wi-Fi found fine. A part
   * that says it was tried is a step told.
   */
  private namesAnotherProblem(step: TreeState, part: string): boolean {
    // "Already tried another backup" says it was tried, whatever "already" leans to (the already-set-up topic).
    if (ALREADY.test(part) || TRIED.test(part)) return false;
    const named = this.moves.matched(this.deps.recognize(part));
    return named?.tree !== undefined && !named.action && !this.deps.engine.aboutAt(step).includes(named.id);
  }

  /** Whether a part names a step of a walk-through as tried (see triedAt). */
  triedIn(treeId: string, part: string): boolean {
    return this.stepsOf(treeId).some((step) => this.triedAt(step, part));
  }

  /**
   * Every step of a walk-through that asks something, as if open there, on its main line: a step
   * reached only by a particular answer ("Wi-Fi is slow or down") follows trouble found, so no
   * fix told as tried ("no wifi here" names the Wi-Fi, as its trouble) is that step.
   */
  private stepsOf(treeId: string): TreeState[] {
    const tree = this.deps.content.trees.get(treeId);
    const nodes = Object.values(tree?.nodes ?? {});
    const mainLine = new Set([tree?.start, ...nodes.flatMap((node) => (node.choices ?? []).flatMap((choice) => (choice.means ? [choice.next] : [])))]);
    return nodes.filter((node) => mainLine.has(node.id)).flatMap((node) => {
      const at = this.deps.engine.start(treeId, node.id);
      return at.status === 'waiting' ? [at.state] : [];
    });
  }

  /**
   * "I restarted the iphone and tried an older backup, still failing": when the walk-through moves
   * on to a step the words that began it, or the message `said` that moved it ("storage fine, and i
   * already restarted it"), said was tried, it goes past that step too, as it went past the first
   * ones, rather than ask for a restart the customer has done.
   */
  pastToldSteps(before: TreeState, outcome: Outcome, said = ''): Outcome {
    const at = outcome.state.tree;
    // Of the message that moved it, what it says was already done ("…, restarted already"), or a fix
    // told done after the answer ("theres like 40 gb free. also i restarted it twice before i came on
    // here"); its other clauses answered the step it moved from ("tried the others but the wifi here is bad").
    // First, a fix of no step but the one left is told done: "updated it, still the same error" at the restart step.
    const done = QUESTION.test(said) ? [] : withVerbShared(toldClauses(said) ?? []).filter((part, index) => (ALREADY.test(part) || (FIX_DONE.test(part) && (index > 0 || !this.triedAt(before, part)))) && !QUESTION.test(part));
    // Told in an earlier message of this walk-through, a fix counts when the walk-through reaches it.
    const earlier = outcome.state.toldDone ?? [];
    const told = [...(outcome.state.askedText ? (toldClauses(outcome.state.askedText) ?? []) : []), ...earlier, ...done];
    const parts = told.length > 0 ? told : undefined;
    const remembered = at && done.length > 0 ? { ...outcome, state: { ...outcome.state, toldDone: [...earlier, ...done.map((part) => this.moves.kept(part))].slice(-KEPT_TOLD) } } : outcome;
    // Only moving on: a step gone back to ("never tried the others") is no step to go past again.
    if (!at || !parts || at.tree !== before.tree || at.node === before.node || at.path.length <= before.path.length) return remembered;
    const past = this.pastDone(remembered, parts);
    if (!past) return remembered;
    // What this turn said before the step gone past (an aside answered, an estimate) stays.
    const step = new Set(this.deps.engine.resume(at).messages.map((message) => message.text));
    return { ...past, replies: [...outcome.replies.filter((reply) => !step.has(reply.text)), ...past.replies] };
  }

  /**
   * "Cannot restore backup, I already went through all three backups and the wifi works fine": a walk-through asked for
   * with some of its steps already behind the customer starts after them, rather than at the first
   * one they just said failed. A part counts when it surely gives the open step's "no" in that
   * step's own words, or only says it was done ("tried another backup", said beside the problem it
   * did not fix); parts may come in any order, and the first step no part answers is where it stops.
   * Undefined when no part answers the first step.
   */
  pastDone(started: Outcome, parts: readonly string[], fewest = 1): Outcome | undefined {
    const { engine, content } = this.deps;
    // "Restore failed, it says cannot restore backup": a part naming the problem itself is no step
    // tried. Recognised only for a part that reads as tried: this runs at every step reached.
    const problem = new Set(started.state.tree ? this.moves.topicsOf(started.state.tree.tree) : []);
    const namesProblem = (part: string) => problem.has(this.moves.matched(this.deps.recognize(part))?.id ?? '');
    const left = parts.filter((part) => !QUESTION.test(part));
    const passed: string[] = [];
    let outcome = started;
    // Only a fix to try can have been tried: "i cant find the option anywhere" beside a device already
    // set up is no answer to whether the backup is in the list, which asks what the customer sees.
    for (let at = outcome.state.tree; at && engine.yesCloses(at); at = outcome.state.tree) {
      const open = at;
      // "im on my home wifi and the battery is at 40 percent not plugged in": a step that also asks for
      // power is not done while the device is told to be off it.
      if (left.some((part) => UNPOWERED.test(part)) && engine.resume(open).messages.some((message) => POWER_SOURCE.test(message.text))) break;
      // Free space told too small for the backup across two parts ("2 gb free", "the backup is 9 gb") leaves the storage step to do.
      if (spaceAgainstBackup(left.join(', '))?.fits === false && aboutFreeSpace(this.deps.content, engine.aboutAt(open))) break;
      const index = left.findIndex((part) => this.triedAt(open, part) && !namesProblem(part) && !this.namesAnotherProblem(open, part));
      const next = index < 0 ? undefined : this.moves.answerNo(outcome.state, open);
      if (!next) break;
      const where = engine.whereAt(open);
      passed.push(where.title ?? `step ${where.step}`);
      left.splice(index, 1);
      outcome = { ...next, events: [...(outcome.events ?? []), ...(next.events ?? [])] };
    }
    if (passed.length < fewest) return undefined;
    const steps = passed.length === 1 ? passed[0] : `${passed.slice(0, -1).join(', ')} and ${passed.at(-1)}`;
    return { ...outcome, replies: [{ text: content.phrases.alreadyTried.replace('{steps}', steps ?? '') }, ...outcome.replies] };
  }

  /** Whether a part names this step, in its own words only, as tried: "tried another backup" (without luck, or the customer would not be asking), or its "no" ("all 3 backups fail"). */
  triedAt(tree: TreeState, told: string): boolean {
    const choices = this.deps.engine.choicesAt(tree);
    // "Restarted the phone" is "restarted it": the device is what every step is done to. How often
    // ("twice"), when ("already", "before messaging u") and a preface ("before you ask") say nothing of which step.
    // "2 gb free and the backup is 9 gb", "only 2 gb free" tell the storage step's trouble, not a step tried; figures that fit tell it tried.
    if (spaceAgainstBackup(told)?.fits === false || smallFreeAlone(told) !== undefined) return false;
    const part = withSpaceInWords(told).replace(THE_DEVICE, 'it').replace(EVERY_REPEATED, '').replace(EVERY_ALREADY, '').replace(PREFACE, '').replace(BEFORE_ASKING, '').replace(WHEN_DONE, '').replace(/\s+/g, ' ').trim();
    // "I only tried the newest one", "i picked the newest one" have not tried another; "fine whatever" gives in, and says nothing of a step.
    // "My backup is there" tells what the customer has, and "no date or size on it" what the backup lacks: no step tried.
    if (NAMES_NOTHING.test(part) || UNTRIED.test(part) || CONCEDED.test(part) || NEWEST_ONLY.test(part) || IS_THERE.test(part) || NO_DATE_OR_SIZE.test(part)) return false;
    if (this.deps.reportsDoing(choices, part)) return true;
    const reading = this.deps.readChoice(choices, part);
    // "Checked my wifi", "cleared 30gb of space": the subject of a step that asks for something to be
    // done (its yes closes the walk-through), named beside the problem as done rather than as its
    // trouble ("my wifi keeps dropping" surely answers the step), did not help.
    // The subject named surely, if not first: a bare "restart" in a list leans to starting over first.
    const about = this.deps.engine.aboutAt(tree);
    const namesSubject = () => this.deps.recognize(part).candidates.slice(0, 2).some(({ intent, confidence }) => about.includes(intent) && confidence >= this.deps.content.recognizer.threshold);
    // "Half my apps are grey and still loading" names the subject as the trouble going on, not as done;
    // "my wife and i share an apple id" names how things are, and nothing done about them.
    const onVersion = ON_VERSION.test(part) && !FIX_DONE.test(part);
    if (this.deps.engine.yesCloses(tree) && !ONGOING.test(part) && !HOW_THINGS_ARE.test(part) && !onVersion && namesSubject()) {
      const particular = reading && reading.score >= SURE_READING && choices[reading.index]?.means === undefined;
      return !particular;
    }
    // A word alone that names no step ("great", sarcastic in "'cannot restore backup'. great. super helpful") rates nothing of it.
    if (!/\s/.test(part) && !namesSubject()) return false;
    // How many were tried ("the other two") says nothing of another step.
    if (!reading || reading.plain || reading.offStep.some((word) => !COUNTS.has(word))) return false;
    if (TRIED.test(part) && reading.score >= LOOSE_READING) return true;
    // "Apps are grey and wont open": a "no" read from its "not" alone names no step ("it still won't finish").
    return reading.score >= SURE_READING && reading.margin >= READING_MARGIN && !reading.onlyNegation && choices[reading.index]?.means === 'no';
  }
}

/** How many fixes told as done a walk-through keeps for its later steps. */
const KEPT_TOLD = 6;
/** "No date or size on it", "it has no size": an incomplete backup described, nothing tried. */
const NO_DATE_OR_SIZE = /^(?:there'?s\s+|theres\s+|it has\s+|has\s+)?no\s+(?:date|size)\b/i;
/** Trouble still going on: "still loading", "keeps dropping". */
const ONGOING = /\b(?:still|keeps?)\b/i;
/**
 * "My wife and i share an apple id", "we use two accounts": the customer, then a verb in the present
 * that is no auxiliary ("i have tried", "we already did"), tells how things are.
 */
const HOW_THINGS_ARE = /^(?:(?:my|our) [a-z]+ and )?(?:i|we)\s+(?:both\s+|all\s+)?(?!(?:have|had|did|do|already|just|also|went|got|made|put|took|set|ran|gave|was|were)\b)[a-z]+(?<!ed)\b/i;
/** "Old iphone 4s on ios 7 lol", "its running 16.2": the version a device is on, how things are, with no update told. */
const ON_VERSION = /\b(?:on|running|runs|has)\s+(?:i(?:pad)?os\s*)?\d{1,2}(?:\.\d{1,2}){0,2}\b/i;
/** A fix told as done: "i restarted it", "updated it last night", "deleted a load of videos". */
const FIX_DONE = /\b(?:restarted|rebooted|updated|upgraded|deleted|cleared|freed|switched|turned)\b/i;
/** How many steps a list told as tried must name in a row to be read as that list. */
const LISTED_STEPS = 3;

/** The customer's device, named. */
const THE_DEVICE = /\b(?:(?:the|my|this|her|his) )?(?:iphone|ipad|ipod(?: touch)?|phone|device)\b/gi;

/** "My backup is there": something the customer has, no step tried. */
const IS_THERE = /\b(?:is|are)\s+(?:all\s+)?there\b(?![^.,;!?]*\b(?:but|fail|error|won'?t|can'?t|not)\b)/i;
/** When something was done: "restarted it this morning", "did that yesterday" says nothing of which step. */
const WHEN_DONE = /\s*\b(?:(?:this|yesterday|last) (?:morning|afternoon|evening|night)|earlier(?: today)?|yesterday|today|(?:an?|\d+|a few|a couple of) (?:mins?|minutes|hours?|hrs?|days?) ago)\b/gi;
/** When something was done, told after it: "restarted it before messaging u" says nothing of which step. */
const BEFORE_ASKING = /\s*\b(?:before|b4) (?:i |you |u )?(?:messag|contact|writ|text|ask|chatt|com)\w*(?: (?:u|you|here|to you))?\s*$/i;

/** Every "twice" and "5 times" in a part: they say nothing of which step. */
const EVERY_REPEATED = new RegExp(REPEATED.source, 'gi');
/**
 * "Tried twice", "did it", "it just fails": once how often and when are gone, doing or failing alone
 * names no step. Read as one, "tried to restore from icloud... tried twice" went past the other
 * backups, never tried.
 */
const NAMES_NOTHING = /^(?:(?:ok|okay|k|yes|yeah|yep|so|well)[\s,]+)?(?:(?:i|ive|i've)\s+)?(?:have\s+)?(?:tried|did|done|do|checked)(?:\s+(?:it|that|this|so|too|again|all|now|today|before|earlier))*[\s.!]*$|^(?:(?:ok|well|but|and|so|it|it's|its|just|still|always|keeps?|only)\s+)*(?:fails?|failing|failed|keeps failing|does not work|doesnt work|not working|won'?t work|no good)[\s.!]*$/i;
/** "Ive done everything", "tried it all": beside the steps it lists, it names none itself. */
const DID_EVERYTHING = /^(?:i\s*(?:'?ve|have)?\s+)?(?:already\s+)?(?:tried|done|did)\s+(?:everything|every ?thing|it all|all of (?:it|that|them|this)|all that|all the (?:steps|things|stuff))\b/i;
/** Words saying a step was tried, whatever came of it. */
const TRIED = /\b(?:tried|done|did|checked)\b/i;
/** Stems of how many: "tried the other two", "both". */
const COUNTS: ReadonlySet<string> = new Set(['two', 'three', 'both', 'four', 'five']);

/** A clause that tells something tried, up to what was tried: "i already checked | other backups". */
const TRIED_LEAD = /^.*\b(?:tried|checked|did|done|went through)\s+/i;
/** A clause that is only a thing named, no verb: "wifi", "the storage". */
const THING_ONLY = /^(?:the |my |also )?[a-z-]+(?: [a-z-]+)?$/i;

/**
 * "i already checked other backups and wifi": the things after a clause told as tried, named alone,
 * were tried the same way ("i already checked wifi").
 */
function withVerbShared(clauses: readonly string[]): string[] {
  let lead = '';
  return clauses.map((clause) => {
    if (lead && THING_ONLY.test(clause.trim())) return `${lead}${clause.trim()}`;
    lead = TRIED_LEAD.exec(clause)?.[0] ?? '';
    return clause;
  });
}

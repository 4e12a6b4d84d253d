import { z } from 'zod';

/**
 * Content schemas. Files carry `version: 1`; a newer version is refused rather than half-read.
 * Objects are strict so a misspelt key is reported instead of silently ignored.
 */
const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are snake_case (a-z, 0-9, _), starting with a letter');
const text = z.string().trim().min(1, 'must not be empty');
const version = z.literal(1, { error: 'unsupported content version: this bot reads version 1' });

/**
 * resume: go back to a walk-through a side question interrupted; reopen: a problem a walk-through
 * fixed has come back, so it re-opens at the step after the one that worked.
 */
export const ACTIONS = ['greet', 'thanks', 'goodbye', 'help', 'cancel', 'restart', 'handoff', 'resume', 'reopen', 'back', 'explain', 'progress', 'frustration', 'describe', 'none'] as const;

/** A restore rate from the source, in hours per gigabyte of backup. */
const rate = z.strictObject({ from: z.number().positive(), to: z.number().positive() });

const intentSchema = z.strictObject({
  id,
  title: text.max(40, 'titles are button labels: 40 characters at most'),
  source: text,
  action: z.enum(ACTIONS).optional(),
  tree: id.optional(),
  followUps: z.array(id).default([]),
  examples: z.array(text).min(3, 'an intent needs at least 3 examples to be recognised'),
  tests: z.array(text).default([]),
  answer: text,
  /** The source's restore rate, when the answer gives it: a size the customer names is worked out with it. */
  hoursPerGigabyte: rate.optional(),
  /**
   * Out of scope but near the domain (another phone, another iCloud task): an aside naming it puts a
   * question beside it there too, where an aside far from it ("my phone's in for repair") does not.
   */
  nearDomain: z.literal(true).optional(),
  /** Never the answer to a restore told as running for hours: its answer is to erase the device. */
  notWhileRestoring: z.literal(true).optional(),
  /** The answer while a restore is running (told so, or a walk-through about one is open): what holds then, never a step that erases. */
  whileRestoring: text.optional(),
  /** About a restore that is running (using the device meanwhile, checking it is underway): right after its answer, `whileRestoring` answers hold. */
  underway: z.literal(true).optional(),
  /** About the device's free space: free space and a backup's size told after its answer, or at a step about it, are weighed against each other. */
  freeSpace: z.literal(true).optional(),
}).refine((intent) => !intent.nearDomain || intent.action === 'none', { message: 'nearDomain is for out-of-scope intents (action: none)', path: ['nearDomain'] });

export const intentFileSchema = z.strictObject({
  version,
  intents: z.array(intentSchema).min(1, 'an intent file needs at least one intent'),
});

export const synonymFileSchema = z.strictObject({
  version,
  synonyms: z.array(
    z.strictObject({
      canonical: text,
      variants: z.array(text).min(1),
    }),
  ),
});

export const recognizerFileSchema = z.strictObject({
  version,
  recognizer: z.strictObject({
    threshold: z.number().min(0).max(1),
    ambiguityMargin: z.number().min(0).max(1),
    suggestions: z.number().int().min(1).max(5),
    calibration: z.strictObject({ slope: z.number(), intercept: z.number() }).optional(),
  }),
});

/** The bot's own wording: everything it says that is not a KB answer or a tree node. */
export const botFileSchema = z.strictObject({
  version,
  bot: z.strictObject({
    welcome: text,
    /** Said once to a team or group chat the bot is added to: there, people talk to it by mentioning it. */
    groupWelcome: text,
    menu: z.array(id).min(1).max(6),
    menuPrompt: text,
    unsure: text,
    unsureOutside: text,
    ambiguous: text,
    outOfScope: text,
    /** For a message made mostly of words the bot has never seen (another language, gibberish). */
    unknownWords: text,
    notUnderstoodChoice: text,
    notUnderstoodQuestion: text,
    tooLong: text,
    empty: text,
    nonText: text,
    /** Pictures the customer sent were kept for the support team (their names are never echoed: they are the customer's text). */
    uploadKept: text,
    /** The same, where nobody from the support team can be reached: the picture is kept, but the bot asks for words. */
    uploadKeptNoPerson: text,
    /** A file that is not a PNG, JPEG or HEIC picture, or is larger than {limit}: refused, nothing kept. */
    uploadRefused: text.refine((value) => value.includes('{limit}'), 'must give the size limit with {limit}'),
    turnFailed: text,
    storageFailed: text,
    noPersonAvailable: text,
    /** The same, before the customer's place in a walk-through, or the problem they told, is taken up meanwhile. */
    noPersonMeanwhile: text,
    agentJoined: text.refine((value) => value.includes('{agent}'), 'must name the agent with {agent}'),
    agentLeft: text.refine((value) => value.includes('{agent}'), 'must name the agent with {agent}'),
    /** An agent closed the chat without handing it back: the bot answers the customer's next message as usual. */
    agentClosed: text.refine((value) => value.includes('{agent}'), 'must name the agent with {agent}'),
    handoffChoice: text.max(30),
    somethingElseChoice: text.max(30),
    treeCancelled: text,
    nothingToCancel: text,
    nothingToGoBack: text,
    /** "Sorry, I meant yes": the answer to the step before was changed, and the walk-through goes on from it. */
    answerChanged: text,
    /** "What do you mean?" after an answer (outside a walk-through): which part, in their words, or a person. */
    unclearAnswer: text,
    /** "Where is that setting on iOS 7?": a question in the open step's own words, answered by the step again. */
    inThisStep: text,
    /** "It literally says cannot restore backup" before any step was answered: the problem told again, and the step given again in full. */
    problemToldAgain: text,
    /** "How many steps are left?": `{left}` more questions at most, when nothing before then helps. */
    questionsLeft: text.refine((value) => value.includes('{left}'), 'must give the number of questions left with {left}'),
    handoffAfterFallbacks: text,
    handoffWaiting: text,
    handoffWithdrawn: text,
    handoffFailed: text,
    handoffCompleted: text,
    /** Queued for the console's agents: `{position}` in the line. */
    queued: text.refine((value) => value.includes('{position}'), 'must give the place in the queue with {position}'),
    /** After `queued` when agents' recent answers are measured: `{minutes}` they took (median). */
    queuedWait: text.refine((value) => value.includes('{minutes}'), 'must give the wait with {minutes}'),
    /** The one notice to a queued customer who writes again: `{position}` now. */
    stillQueued: text.refine((value) => value.includes('{position}'), 'must give the place in the queue with {position}'),
    /** Agents exist but none is online: the offer to leave a message (the next message is it). */
    nobodyOnline: text,
    /** "OK" to `nobodyOnline`: the offer stands, and the next message is the one left. */
    messagePrompt: text,
    messageLeft: text,
    messageAdded: text,
    /** A bare yes or no after a message was left: nothing is added to it. */
    messageStands: text,
    messageFull: text,
    /** A queued customer whose agents all went offline: what they wrote is kept as a message. */
    agentsLeft: text,
    handedBack: text,
    /** Scope reply inside a walk-through, followed by its open question again. */
    outOfScopeInTree: text,
    /** A message partly outside the bot: said before the part it can help with (a walk-through started or moved on). */
    partOutOfScope: text,
    /** A question inside a walk-through that may be out of scope or about the step: followed by the whole step again. */
    unsureInTree: text,
    howDidItGo: text,
    answeredAhead: text,
    /** A walk-through started past the steps the customer says they have been through: `{steps}` names them. */
    alreadyTried: text,
    /** Before the lines of the last answer a follow-up question asks about. */
    fromLastAnswer: text,
    /** Before the lines of the last answer that fit the case the customer just told. */
    caseFromLastAnswer: text,
    /** Before the last answer again, for a question pointing back at it that no topic claims. */
    unsureAfterAnswer: text,
    /** Asked to act on the customer's device or Apple ID ("can u reset it for me"): what the bot can do instead. */
    cannotActForYou: text,
    /** Asked to act on something outside the bot's scope too ("can you unlock my activation lock"): no walk-through is offered. */
    cannotActOutOfScope: text,
    /** A password typed or offered in the chat: never to be shared. */
    keepPasswordPrivate: text,
    /** After either, with nothing else to answer outside a walk-through: what to tell the bot. */
    walkYouThrough: text,
    /** A step the customer takes back as never tried, gone back to. */
    stepUntried: text,
    /** "i'm on iOS 7" beside a step that gives that version its own way: the lines for it. */
    forYourVersion: text,
    /** "got like 2gb free" at the storage step: `{free}` gigabytes fit only a smaller backup. */
    compareWithBackup: text.refine((value) => value.includes('{free}'), 'must give the free space told with {free}'),
    /** Free space (`{free}` GB) told after the storage answer, less than the backup's size (`{size}` GB): it won't fit. */
    backupTooBig: text.refine((value) => value.includes('{free}') && value.includes('{size}'), 'must give both figures told, with {free} and {size}'),
    /** Free space (`{free}` GB) told after the storage answer, at least the backup's size (`{size}` GB): it fits. */
    backupFits: text.refine((value) => value.includes('{free}') && value.includes('{size}'), 'must give both figures told, with {free} and {size}'),
    /** A backup told as listed without a size or date, outside a walk-through that reads it: it never finished. */
    incompleteBackup: text,
    /** A device told off power or low on battery while a restore runs, or asked whether it may be unplugged. */
    keepPowered: text,
    /** "how much do i need to free?" at the storage step: the backup's size (`{size}`), the free space (`{free}`) and the difference (`{more}`), in GB. */
    freeAtLeast: text.refine((value) => ['{size}', '{free}', '{more}'].every((slot) => value.includes(slot)), 'must give the figures with {size}, {free} and {more}'),
    /** The iOS told of the device (`{device}`) is earlier than the one told of the backup (`{backup}`): the device needs updating first. */
    versionBehind: text.refine((value) => value.includes('{device}') && value.includes('{backup}'), 'must give both versions told, with {device} and {backup}'),
    /** The iOS told of the device (`{device}`) is the same as or later than the backup's (`{backup}`): the version rule is met. */
    versionMet: text.refine((value) => value.includes('{device}') && value.includes('{backup}'), 'must give both versions told, with {device} and {backup}'),
    /** The open step, a fix to try, done only in part ("tried the top one only"): before its instructions again. */
    stepPartlyTried: text,
    /** The open step's own fix told as never done ("i never update"): before its instructions again. */
    stepNotDone: text,
    acknowledgedInTree: text,
    sameAsLastAnswer: text,
    welcomeInTree: text,
    /** A thank-you beside a plan to try the step ("ok ill leave it. ty"): said before the plan is taken. */
    welcomed: text,
    whenTried: text,
    /** A choice the customer will think over ("ill think about it"): before the open question again. */
    whenDecided: text,
    /** Asked what to do ("ill try it myself, what do i do") at a step that says it: before the step in full. */
    whatToDoHere: text,
    whenTriedLater: text,
    whyThisStep: text,
    /** The same, for a question the recogniser is unsure of rather than sure is outside the bot. */
    againAfterAnswer: text,
    /** An answer that is one step of a walk-through did not help: `{tree}` is the walk-through carried on. */
    stillFailingAfterAnswer: text,
    workedAfterAnswer: text,
    /** After a side question: `{tree}` is the walk-through's title, `{step}` where it stopped. */
    carryOn: text,
    carryOnChoice: text.max(30),
    nothingToResume: text,
    /** A bare yes or "ok" outside a walk-through ("anything else?" "yes"): the menu follows. */
    goAhead: text,
    /** A bare no outside a walk-through ("anything else?" "no thanks"): the conversation may end here. */
    nothingElse: text,
    /** A bare no to "shall we carry on?": `{tree}` is kept for later. */
    leftForLater: text,
    /** Before the step after the one that had fixed it, when the problem comes back. */
    reopened: text,
    /** `{size}` in GB, the topic's rate `{from}` to `{to}` hours per GB, and the hours it implies, `{low}` to `{high}`. */
    fastConnection: text,
    /** A slow connection told in a walk-through with a restore rate: the rate, with {from} and {to}, said to be longer on it. */
    slowConnection: text,
    sizeEstimate: text,
    /** At the next message of a conversation whose walk-through or offered topics a content reload removed; the menu follows. */
    contentChanged: text,
    /** The two answers to "did this help?", offered as buttons under an answer where the channel has no feedback control of its own. */
    helpfulChoice: text.max(30),
    notHelpfulChoice: text.max(30),
    feedbackThanks: text,
    /** After "not helpful": followed by related topics and a person, so it is never a dead end. */
    feedbackSorry: text,
  }),
  /**
   * How customers say yes and no, in their own words: every choice with `means` learns these as
   * examples, so each tree lists only what is particular to its question.
   */
  answers: z.strictObject({
    yes: z.array(text).min(3),
    no: z.array(text).min(3),
    /** Typed feedback on an answer just given ("that helped", "not what I asked"). */
    helpful: z.array(text).min(3),
    notHelpful: z.array(text).min(3),
  }),
});

const choiceSchema = z.strictObject({
  label: text.max(30, 'choice labels are buttons: 30 characters at most'),
  means: z.enum(['yes', 'no']).optional(),
  /** What a customer might type to give this answer; read in context, not as a topic. */
  examples: z.array(text).default([]),
  next: id,
});

const nodeSchema = z
  .strictObject({
    say: text,
    /** Short name of the step, for "we were at step 2, Wi-Fi". */
    title: text.max(40).optional(),
    /** Where the node's facts come from, as for KB entries ("seed 002: 2. Check iPhone Wi-Fi Connection"). */
    source: text,
    answer: id.optional(),
    /** Topics this step is about: a question on them is read as part of this step, not a topic switch. */
    about: z.array(id).default([]),
    /**
     * "It's been 10 hours for 3 GB": a message giving how long it has run, with the backup's size
     * in it or in the words that began the walk-through, is compared with this rate and answers
     * the choice labelled `within` or `beyond`.
     */
    elapsed: z.strictObject({ hoursPerGigabyte: rate, within: text, beyond: text }).optional(),
    /**
     * "It backed up last month", "not since 2022": a message telling how long ago the thing the step
     * asks about last happened is compared with `days` and answers the choice labelled `within` or
     * `beyond`, whatever its words read as.
     */
    age: z.strictObject({ days: z.number().int().positive(), within: text, beyond: text }).optional(),
    choices: z.array(choiceSchema).min(2, 'offer at least 2 choices').max(6, 'offer at most 6 choices').optional(),
    /**
     * The question asks how things already are ("are you travelling?"), not how something the step
     * asks for went: a customer may tell it in the message that starts the walk-through, and told
     * surely there, the walk-through's first step is taken as answered.
     */
    toldUpFront: z.literal(true).optional(),
    next: id.optional(),
    end: z.literal(true).optional(),
    handoff: z.literal(true).optional(),
  })
  .superRefine((node, ctx) => {
    const ways = [node.choices, node.next, node.end, node.handoff].filter((way) => way !== undefined).length;
    if (ways !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'a node needs exactly one of: choices, next, end: true, handoff: true',
      });
    }
    if (node.toldUpFront && !node.choices) ctx.addIssue({ code: 'custom', path: ['toldUpFront'], message: 'toldUpFront is for a question: give the node choices' });
  });

export const treeFileSchema = z.strictObject({
  version,
  id,
  title: text.max(40),
  start: id,
  /** About a restore that is running (slow, or alerts while it downloads): answers with a `whileRestoring` give that one here. */
  underway: z.literal(true).optional(),
  nodes: z.record(id, nodeSchema),
});

export type IntentFile = z.infer<typeof intentFileSchema>;
export type SynonymFile = z.infer<typeof synonymFileSchema>;
export type RecognizerFile = z.infer<typeof recognizerFileSchema>;
export type TreeFile = z.infer<typeof treeFileSchema>;
export type BotFile = z.infer<typeof botFileSchema>;

import type { Content } from '../content/types.js';
import type { TreeState } from '../dialogs/engine.js';
import type { Recognition } from '../nlu/recognizer.js';
import { lastSentence, POWER_SOURCE, QUESTION, RESTORE_RUNNING, toldClauses, UNPOWERED } from './messageShape.js';
import type { Outcome } from './outcome.js';
import { lastReplies, type ConversationState } from './state.js';

export interface RunningRestoreDeps {
  readonly content: Content;
  readonly recognize: (text: string) => Recognition;
}

/** "its done", "is it finished", "how do i know its actually working": the restore's state said of "it"; a bare "so it's going?" is left to read as the answer seen. */
const IT_RUNNING = /\b(?:it'?s|its|it is|is it|it)\s+((?:(?:actually|really|even|still)\s+)?(?:done|finished|complete|over|downloading|progressing|doing (?:anything|something))|(?:actually|really|even|still)\s+(?:going|running|working))\b/gi;
/** "should i leave it plugged in", "can i unplug it overnight", "does it need to stay on the charger": asked about power. */
const ASKS_POWER = /\b(?:plugged in|unplug\w*|charg(?:er|ing)|power(?: source)?|battery)\b/i;
/** "is there a safe way to stop it", "and if i want to cancel it?": stopping "it", the restore. */
const STOP_IT = /\b(?:stop|cancel|halt|abort|end) (?:it|this)\b/gi;
/** "what if i unplug it and take it to work": taking "it", the device, off power mid-restore. */
const UNPLUG_IT = /\bunplug (?:it|this)\b/gi;
/** Words of erasing a device: "reset it", "wipe it", "factory reset", "erase"; not a network reset. */
const ERASING = /\b(?:eras\w*|wip(?:e|ing)|factory[\s-]?reset\w*|reset(?:ting)?(?!\s+(?:my\s+|the\s+)?network))\b/i;
/** How many of a clause's leading topics may be the one it means: its erasing words already narrow it down. */
const LEADERS = 4;
/** Words before an erasing word kept with it when its clause is read alone ("ima just | reset it"). */
const ERASE_LEAD_WORDS = 3;

/**
 * A restore that is running, told so or known from the conversation: a walk-through about one open or
 * kept (`underway` trees), the answer just given on one (`underway` topics), or the message itself
 * ("halfway thru restoring"). Then "it" in a question is the restore, and an answer written also for a
 * running restore (`whileRestoring`) gives that version: erasing is never the step then.
 */
export class RunningRestore {
  constructor(private readonly deps: RunningRestoreDeps) {}

  /**
   * "how do i tell when its done" inside a walk-through about a running restore: "it" is the restore,
   * which the recogniser cannot know, and without it the question reads as out of scope.
   */
  named(state: ConversationState, text: string): string {
    if (!QUESTION.test(text) || !this.knownRunning(state)) return text;
    return text.replace(IT_RUNNING, 'the restore is $1').replace(STOP_IT, 'stop the restore').replace(UNPLUG_IT, 'unplug the device during the restore');
  }

  /**
   * "should i just erase it and start over" halfway through a slow restore: the running-restore version
   * of an answer. The general erase answer tells of erasing a device already set up, which a stressed
   * customer mid-restore could take as the step to do. "bro my phone been restoring all night, ima just
   * reset it": such a walk-through begun or carried on beside a plan to erase says first not to.
   */
  answered(state: ConversationState, text: string, outcome: Outcome): Outcome {
    const { content } = this.deps;
    const underway = this.knownRunning(state) || RESTORE_RUNNING.test(text);
    const versions = new Map(content.intents.flatMap((intent) => (intent.whileRestoring ? [[intent.answer, intent.whileRestoring] as const] : [])));
    const replies = underway ? outcome.replies.map((reply) => ({ ...reply, text: versions.get(reply.text) ?? reply.text })) : outcome.replies;
    const answeredTopic = outcome.state.lastIntent ? content.intentById.get(outcome.state.lastIntent) : undefined;
    const planned = underway || this.isUnderway(outcome.state.tree) || answeredTopic?.underway === true ? this.eraseAside(text) : undefined;
    const unplaced = outcome.events?.some((event) => event.kind === 'unplaced') === true;
    const offPower = planned === undefined && underway && this.asksForPower(state, text, { ...outcome, replies }, unplaced) ? content.phrases.keepPowered : undefined;
    const lead = planned ?? offPower;
    // Said already, whole or the part of it a follow-up was given ("then this is the part of my last answer for you"), it is not said twice.
    if (!lead || replies.some((reply) => reply.text.trim() !== '' && lead.includes(reply.text.trim()))) return { ...outcome, replies };
    // Not placed otherwise ("should I reset it and redo the restore at home?"), the warning is the answer, and the open question waits.
    const kept = offPower ? (outcome.state.tree || outcome.state.suspended ? replies.slice(-1) : []) : unplaced ? replies.slice(-1) : replies;
    return { ...outcome, replies: [{ text: lead }, ...kept], ...(unplaced ? { events: outcome.events?.filter((event) => event.kind !== 'unplaced') } : {}) };
  }

  /**
   * "the phone is at 8% battery btw", "should i leave it plugged in" while a restore runs: told and placed
   * nowhere, or asked and taken for a topic that says nothing of power ("…keep it on the charger" as the
   * Wi-Fi answer) with the walk-through not moved, it gets the power the restore needs.
   */
  private asksForPower(state: ConversationState, text: string, outcome: Outcome, unplaced: boolean): boolean {
    const asked = QUESTION.test(text) || QUESTION.test(lastSentence(text));
    if (!asked) return unplaced && UNPOWERED.test(text);
    const stayed = (outcome.state.tree ?? outcome.state.suspended)?.node === state.tree?.node;
    return ASKS_POWER.test(lastSentence(text)) && (unplaced || (stayed && !outcome.replies.some((reply) => POWER_SOURCE.test(reply.text))));
  }

  /** A walk-through about a running restore open or kept, the answer just given on one, or the running-restore version of an answer just given. */
  private knownRunning(state: ConversationState): boolean {
    const lastTopic = state.lastIntent ? this.deps.content.intentById.get(state.lastIntent) : undefined;
    const said = new Set(lastReplies(state));
    return this.isUnderway(state.tree ?? state.suspended) || lastTopic?.underway === true || this.deps.content.intents.some((intent) => intent.whileRestoring !== undefined && said.has(intent.whileRestoring));
  }

  private isUnderway(tree: TreeState | undefined): boolean {
    return tree !== undefined && this.deps.content.trees.get(tree.tree)?.underway === true;
  }

  /** The running-restore answer of the topic a clause about erasing leans to ("ima just reset it"), if any. */
  private eraseAside(text: string): string | undefined {
    const clauses = (toldClauses(text) ?? [text]).flatMap((clause) => {
      const at = ERASING.exec(clause)?.index;
      return at === undefined ? [] : [clause, clause.slice(0, at).split(/\s+/).slice(-ERASE_LEAD_WORDS).join(' ') + clause.slice(at)];
    });
    for (const clause of clauses) {
      const leaders = this.deps.recognize(clause).candidates.slice(0, LEADERS);
      const topic = leaders.map(({ intent }) => this.deps.content.intentById.get(intent)).find((leader) => leader?.whileRestoring);
      if (topic?.whileRestoring) return topic.whileRestoring;
    }
    return undefined;
  }
}

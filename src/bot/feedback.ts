import type { Content, DialogChoice, Intent } from '../content/types.js';
import type { InsightEvent } from '../insights/events.js';
import type { ChoiceReading } from '../nlu/choiceReader.js';
import { QUESTION, simplify } from './messageShape.js';
import type { Outcome } from './outcome.js';
import { READING_MARGIN, sureReading } from './readings.js';
import type { ConversationState, FeedbackFor } from './state.js';

/** Topics offered after "not helpful", beside a person. */
const RELATED_AFTER_NOT_HELPFUL = 2;

/**
 * Whether an answer helped: the customer's typed rating of it, read like an answer to a step
 * ("helpful" and "not helpful" are its two choices), and the reply to a rating however it came.
 */
export class Feedback {
  private readonly choices: readonly DialogChoice[];

  constructor(
    private readonly content: Content,
    private readonly readChoice: (choices: readonly DialogChoice[], text: string) => ChoiceReading | null,
  ) {
    const { phrases, answers } = content;
    this.choices = [
      { label: phrases.helpfulChoice, examples: answers.helpful, next: '' },
      { label: phrases.notHelpfulChoice, examples: answers.notHelpful, next: '' },
    ];
  }

  /** The rating a message gives: a button's label, or typed words that read surely as one; undefined when it gives none. */
  read(text: string): boolean | undefined {
    const { phrases } = this.content;
    const said = simplify(text);
    if (said === simplify(phrases.helpfulChoice)) return true;
    if (said === simplify(phrases.notHelpfulChoice)) return false;
    const reading = this.readChoice(this.choices, text);
    // A question asks rather than rates: "which backup should I use" shares a stem with "very useful".
    if (!reading || reading.score < sureReading(QUESTION.test(text)) || reading.margin < READING_MARGIN) return undefined;
    return reading.index === 0;
  }

  /** Thanks for a yes; for a no, a way on (put it another way, a related topic, a person), never a dead end. */
  acknowledge(state: ConversationState, about: FeedbackFor, helpful: boolean, comment?: string): Outcome {
    const { content } = this;
    const topic = about.topic ? { topic: about.topic } : {};
    const unhelpful = helpful ? {} : { ...(about.question ? { text: about.question } : {}), ...(comment ? { comment } : {}) };
    const event: InsightEvent = { kind: 'feedback', helpful, ...topic, ...(about.tree ? { tree: about.tree } : {}), ...unhelpful };
    if (helpful) return { state, replies: [{ text: content.phrases.feedbackThanks }], events: [event] };
    const own = content.intentById.get(about.topic);
    const related = [...(own?.followUps ?? []), ...content.phrases.menu]
      .filter((id, index, all) => id !== about.topic && all.indexOf(id) === index)
      .map((id) => content.intentById.get(id))
      .filter((intent): intent is Intent => intent !== undefined && !intent.action)
      .slice(0, RELATED_AFTER_NOT_HELPFUL);
    return {
      state: { ...state, offered: related.map((intent) => intent.id) },
      replies: [{ text: content.phrases.feedbackSorry, choices: [...related.map((intent) => intent.title), content.phrases.handoffChoice] }],
      events: [event],
    };
  }
}

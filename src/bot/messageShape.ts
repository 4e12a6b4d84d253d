/**
 * How a typed message is shaped, read before any of its words are: whether it asks, where its
 * clauses break, whether one clause is set against another.
 */

/**
 * A message put as a question ("why does it need Wi-Fi?", "is it ok if I use it?") is asking, not
 * answering. Inside a sentence "which is" is a relative clause ("it's on 17.5, which is the
 * latest"), so only an opening "which" asks. A negative opening asks only before its subject:
 * "won't that delete everything" asks, "won't restore" tells. "Ok now what" asks what to do next;
 * "so can I use it meanwhile" asks after its filler; "should have room" tells (no subject follows).
 * "idk how to check other backups" asks how, put as what the customer does not know; "…3 times, is
 * that also normal" asks at its end, with no mark, as does "wtf is that".
 */
export const QUESTION = /\?\s*$|\b(?:is|was|could|would) (?:that|this|it) (?:be )?(?:why|the reason)\b|\b(?:is|was|are|were) (?:that|this|it|they) (?:also |even |really |still )?(?:normal|ok|okay|expected|right|safe|bad|a problem|related)\s*$|\b(?:idk|i don'?t know|i do not know|dunno|not sure|no idea) (?:how|where) (?:to|do i|can i)\b|^\s*(?:(?:just|pls|please|so|ok|okay|then)[\s,]+){0,2}(?:tell|show) me (?:which|what|how|where|why|if|whether)\b|\b(?:are you|r u|ru) (?:sure|certain)\b|\banything (?:else )?(?:(?:i|we|u|you) (?:should|shud|need to|must|have to|gotta|can|could) |to )(?:know|do|check|try)\b|\b(?:now|then|so) what\b|\bwhat (?:now|next)\b|^\s*(?:(?:so|and|but|ok|okay|also|oh|hmm|ugh|argh|sigh|um|uh|wait|well|btw|by the way|(?:quick|one more|another) q(?:uestion)?)[\s,.:-]+){0,3}(?:(?:why|how|what|wat|wut|whats|hows|when|where|wheres|which|who)\b|(?:can|could|should|would|will|is|are|do|does|am)\b(?!\s+(?:have|be|been|do|work|need)\b))|^\s*(won|wouldn|shouldn|can|doesn|isn|aren|don)['\u2019]?t (that|this|it|i|you|they|we|my|the)\b|\b(why|how|what|wtf|wth|when|where) (do|does|did|can|could|should|is|are|am|was|were|would|will|long|much|many)\b|\b(?:so|then) (?:will|would|can|could|do|does|did|should|is|are) (?:i|it|we|you|u|they)\b|\bwhich(?: one| backup| of them| of the two)? (?:do|should|shall|would|can|could) (?:i|we|u|you)\b|^\s*(?:and |but |so )?(?:if|when|once)\b[^,.?!]{0,60}?[\s,]+(?:can|could|should|shall|do|does|will|would|is|are) (?:i|we|u|you|it)\b/i;

/**
 * "…, now what?", "…. what next", "18gb free. next", "…restarted it. what else ya got": a request to go
 * on, after an answer that goes on by itself. Its openers are its own: the "ok" of "ok so whats next" is no answer.
 */
/** "Next", "next step please", "next brilliant idea", "skip this one", "move on": the next fix asked for. */
const NEXT_FIX = String.raw`next(?: (?:step|one|fix|thing))?(?: pls| please)?|next (?:\w+ )?(?:idea|suggestion|trick)s?|skip(?: it| this(?: one| step)?)?|move on`;
const GO_ON = new RegExp(String.raw`(?:^|[\s,.;:!-]+)(?:(?:so|and|ok|okay|k|alright|right)[\s,]+){0,3}(?:${NEXT_FIX}|what else(?: (?:ya|you|u) got| is there| (?:can|could|should) i (?:do|try|check))?|any (?:other|more|last|further) (?:ideas?|suggestions?)|now what|what now|then what|what next|whats next|what['\u2019]?s left|what is left|anything left(?: to try)?|what['\u2019]s next|what do i do now|what should i do now|anything else (?:i should (?:do|know) )?before i (?:start|begin|go ahead|do it))(?:\s+then)?[\s?!.]*$`, 'i');

/** "What else can I check?", "rebooted, nope. any last idea?", "whats left": this fix is not the one the customer will try, or it did nothing. */
export const WHAT_ELSE = /\bwhat else (?:can|could|should|do|would) (?:i|we|u|you)\b|\banything else (?:i|we) (?:can|could) (?:check|try|do)\b|\bwhat else (?:is there|to try|you got|ya got|have you got)\b|\bany (?:other|more|last|further|new) (?:ideas?|suggestions?|tips?|options?|things? to try)\b|\bwhat(?:'?s| is) left\b|\banything left\b/i;

/** "Next", "skip this one": only a request for the next fix, this step done or not to be done ("now what" alone is lost). */
const NEXT_ONLY = new RegExp(String.raw`^\s*(?:(?:ok|okay|k|so|and)[\s,]+)?(?:${NEXT_FIX})[\s.!]*$`, 'i');
export const onlyGoOn = (text: string): boolean => NEXT_ONLY.test(text);
/** "Whats next", "ok thx. so whats next", "next pls": a request to go on, whatever comes before it. */
export const asksToGoOn = (text: string): boolean => GO_ON.test(text);

/** The answer before a request to go on ("ok theres enough. now what"), when there is one. */
export function beforeGoOn(text: string): string | undefined {
  const match = GO_ON.exec(text);
  const before = match && match.index > 0 ? text.slice(0, match.index).trim() : '';
  return before.length > 0 ? before : undefined;
}

/**
 * "Do I have to start over from scratch?", "will I need to cancel it?", "anything to do before i
 * start?", "what if i just skip it?", "so i just leave it be?", "should i just wait or cancel it", "and if i want to cancel it?": asks what the
 * restore needs, commands nothing.
 */
export const ASKS_IF_NEEDED = /\bbefore (?:i|we|you) (?:start|begin|restart)\b|\bwhat (?:if|happens if|happens when) (?:i|we) (?:just )?(?:skip|cancel|stop)\b|\bif (?:i|we) (?:[\w']+ ){0,5}?(?:want|wanna|need|decide|have) to (?:cancel|stop)\b|\b(?:i|we|so) (?:just )?(?:leave|let) (?:it|this)\b[^.!]*\?|\b(?:should|do|must|shall) (?:i|we) (?:just )?(?:leave|keep) (?:it|this)\b|\b(?:do|does|will|would|should|must|shall)\s+(?:i|we|it|you)\s+(?:have to|need to|got to|gotta|must)?\s*(?:just\s+)?(?:start|restart|begin|cancel|stop|redo|do)\b|\b(?:should|shall|do|must)\s+(?:i|we)\s+(?:just\s+)?(?:wait|leave it|keep going|let it run|carry on)\s+or\s+(?:just\s+)?(?:cancel|stop|restart|start over)\b|\b(?:have|need|got) to (?:start|restart|begin|cancel|stop|redo)\b[^.!]*\?/i;

/** "How do I take a screenshot?": a request for instructions, never a report of how a step went. */
export const ASKS_HOW = /^\s*(?:(?:ok|okay|so|and|but|um+|hmm+)[\s,]+)?(?:how|where) (?:exactly |actually )?(?:do|can|could|should|would) (?:i|you|we)\b/i;

/** "So theyre not lost?", "ok so i just leave it?", "r u sure", "why wouldnt it": put as a question, checking what was just said. */
export const CHECKS_MEANING = /^\s*(?:(?:ok(?:ay)?|right|oh|ah+)[\s,]+)?(?:so|and)\s+(?:they|theyre|it|its|that|thats|this|i|we)\b|\b(?:are you|r u|ru|you|u) (?:sure|certain)\b|\bwhy (?:would|wouldn'?t|wouldnt|does|doesn'?t|doesnt|won'?t|wont|can'?t|cant|not)\s+(?:it|they|that|this|those|them|i)\b/i;

/** "Will I lose the apps if I skip it?": a question that points back at what the bot just said. */
/**
 * "Why would a different backup work if this one doesnt", "what does wifi have to do with it": a
 * question why the step could help at all, which the step's own text answers. "Why does it still not
 * work" is no such question.
 */
export const ASKS_WHY_IT_HELPS = /\bwhy (?:would|does|do|should|will|is|did)\b(?:(?!\b(?:not|still|never)\b)[^?.!])*\b(?:help|matter|work|fix|make (?:a|any) difference|change anything)\b|\bwhat (?:does|has|would|do) [\w-]+(?: [\w-]+)? (?:got |have |has )?(?:got )?to do with\b|\bhow (?:would|does|will|is|could) (?:that|this|it) (?:going to |gonna )?(?:help|matter|fix|make (?:a|any) difference)\b/i;

export const REFERS_BACK = /\b(?:it|its|that|this|them|those|these|they|theyre)\b/i;

/** "Already", as typed in a hurry ("alredy", "allready"): done before this message. */
/** "its empty too", "nothing there either": a list or a place found with nothing in it. */
export const SAYS_EMPTY = /\b(?:empty|blank|nothing (?:there|in (?:it|there)|listed|shows?|showing)|none (?:there|listed|showing)|no backups?)\b/i;
export const ALREADY = /\b(?:already|alread|alredy|allready|alrdy|alr)\b/i;
/** "restarted too", "also updated": done besides the other things told. */
export const ALSO_DONE = /\b(?:too|also|as well)\b/i;
export const withoutAlso = (text: string): string => text.replace(new RegExp(ALSO_DONE.source, 'gi'), '').replace(/\s+/g, ' ').trim();
export const EVERY_ALREADY = new RegExp(ALREADY.source, 'gi');

/** "Restarted it 5 times", "tried twice already": a step done again and again, which says it did not help. */
export const REPEATED = /\b(?:twice|(?:\d+|two|three|four|five|several|a few|few|multiple|many|a couple of|couple of|so many|a bunch of) times|(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|umpteenth|nth) time|again and again|over and over)\b/i;

/** A lone "?" (or "??"): no words to recognise, and inside a walk-through "what do you mean?" about the step. */
export const PUZZLED = /^\s*\?+\s*$/;

/** "Anything else i need to do before i start?": what the open step asks to have done first is in the step. */
export const ASKS_WHAT_FIRST = /\b(?:anything|something|what)(?: else)? (?:do |should |must )?(?:i|we|you) (?:need|have|should|must|got|gotta|ought)(?: to)? (?:do|check|know|prepare)\b[^.!?]{0,30}\b(?:before|first|beforehand)\b/i;

/** A line closing a letter ("Kind regards,", "Thanks in advance"), and a mail app's footer ("Sent from my iPhone"). */
const SIGN_OFF_LINE = /^\s*(?:(?:kind|best|warm|warmest|many)\s+)?(?:regards|wishes)[\s,.!]*$|^\s*(?:(?:many\s+)?thanks|thank you|thx|cheers|sincerely|yours(?:\s+(?:sincerely|truly|faithfully))?)(?:\s+(?:in advance|again|for your help))?[\s,.!]*$/i;
const MAIL_FOOTER = /^\s*sent from (?:my )?\w+/i;
/**
 * "…there are no backups in the list at all.\nKind regards,\nPriya Nair\niPad Air | iPadOS 15.1 | 256GB":
 * a message written as a letter, without what follows its sign-off: a name and a signature's words
 * ("Outlook", "256GB") that sink the recogniser. A sign-off on the first line is the whole message.
 */
export function withoutSignature(text: string): string {
  const lines = text.split(/\r?\n/);
  // A closing thanks with nothing after it ("all restored now\nthanks") is part of the message.
  const signedAbove = (index: number) => lines.slice(index + 1).some((line) => line.trim().length > 0);
  const signOff = lines.findIndex((line, index) => index > 0 && (MAIL_FOOTER.test(line) || (SIGN_OFF_LINE.test(line) && signedAbove(index))));
  const kept = signOff > 0 ? lines.slice(0, signOff).join('\n').trim() : text;
  return kept.length > 0 ? kept : text;
}

/**
 * "Hello, I started restoring my iPad this morning…", "back again, its been 5 hrs…": a greeting
 * opening a message that says more. A customer back is greeting, not telling the problem is back.
 */
const GREETING_OPENER = /^\s*(?:(?:hi+|hello+|hey+|hiya|yo|good (?:morning|afternoon|evening)|greetings|howdy)(?:\s+(?:there|all|team|guys|folks|again))?|(?:ok(?:ay)?\s+)?(?:i'?m|im|i am)\s+back(?:\s+again)?|back\s+again)[\s,.!:;-]+/i;
/** Fewer words than this after a greeting ("hi there, anyone?") leave it a greeting. */
const MORE_THAN_A_GREETING = 4;
export function withoutGreeting(text: string): string {
  const opener = GREETING_OPENER.exec(text);
  const rest = opener ? text.slice(opener[0].length).trim() : '';
  return rest.split(/\s+/).length >= MORE_THAN_A_GREETING ? rest : text;
}

/**
 * "whatever. if i restore will my music come back": a sigh ending in a stop before what is asked, which
 * says nothing of it and sinks the whole message's score. Not "fine", which answers a step.
 */
const SIGH_OPENER = /^\s*(?:whatever|ugh+|meh|sigh|oh well|ok whatever|geez|jeez|ffs)\s*[.!,;:-]+\s*/i;
export function withoutSigh(text: string): string {
  const opener = SIGH_OPENER.exec(text);
  const rest = opener ? text.slice(opener[0].length).trim() : '';
  return rest.split(/\s+/).length >= MORE_THAN_A_GREETING ? rest : text;
}

/**
 * "Restore is running", "halfway thru restoring", "while its restoring", "is currently restoring",
 * "the restore paused", "restore stopped halfway": a restore told as under way, not finished.
 */
export const RESTORE_RUNNING = /\brestor\w*\s+(?:is\s+|has\s+|got\s+|seems\s+)?(?:paused|stalled)\b|\brestor\w*\s+(?:is\s+|has\s+|got\s+)?(?:stopped|froze|frozen|hung|stuck)\s+(?:at\s+)?(?:halfway|half way|partway|part way|midway)\b|\brestor\w*\s+(?:is\s+|it'?s\s+|its\s+)?(?:still\s+)?(?:running|going|underway|under way|in progress)\b|\b(?:halfway|half way|partway|part way|midway|mid)[\s-]*(?:thr(?:ough|u)\s+)?(?:the\s+|a\s+)?restor\w*|\b(?:while|during|in the middle of)\s+(?:the\s+|a\s+|my\s+|it'?s\s+|its\s+|it\s+is\s+)?restor\w*|\b(?:still|been|is|it'?s|its|currently)\s+(?:(?:currently|still|now|actually)\s+)?restoring\b|\bstuck\s+(?:on|at|in)\s+(?:the\s+)?restor\w*/i;

/** "Not plugged in", "no charger", "battery is at 15%", "its at 8% battery": the device told to be off power. */
export const UNPOWERED = /\b(?:not|isn'?t|isnt|never|wasn'?t|wasnt)\s+(?:been\s+)?(?:plugged in|charging|on (?:the |a )?(?:charger|power))\b|\bno charger\b|\bunplugged\b|(?:\bbattery (?:is |was |'s )?(?:at |on |only |down to )?(?:like |about |around )?\d{1,2}\s*(?:%|percent)|\b(?:at|on|down to)\s+(?:like |about |around )?\d{1,2}\s*(?:%|percent)\s+(?:battery|charge)\b)(?![^.!?]*\b(?:charging|plugged|charger)\b)/i;

/** A step or answer that puts the device on power: "connect it to a power source". */
export const POWER_SOURCE = /\bpower source\b/i;

/** The clauses of a message that tell rather than ask ("wifi's good" of "wifi's good. random q tho how long…?"). */
export const toldParts = (text: string): string[] => clausesAsked(text).filter((part) => !QUESTION.test(part));

/** The message's last sentence, after its last full stop or "!" ("that is so dumb. can you just get it back for me" → "can you just get it back for me"). */
export const lastSentence = (text: string): string => text.split(/(?<!\d)[.!]+(?!\d)/).map((part) => part.trim()).filter((part) => part.length > 0).at(-1) ?? text;

/** Words after a question that only tell of it are fewer than this ("i have icloud photos on"). */
const CONTEXT_WORDS = 8;

/**
 * "tried the older 2, nope. also do my photos come back with the backup or are they separate? i
 * have icloud photos on": answers, a question, then a few words that only tell of the question. The
 * message up to its question, when it has answers before it and such a tail after it.
 */
export function beforeContext(text: string): string | undefined {
  const end = text.lastIndexOf('?');
  const tail = text.slice(end + 1).trim();
  if (end < 0 || tail.length === 0 || QUESTION.test(tail) || tail.split(/\s+/).length > CONTEXT_WORDS) return undefined;
  const head = text.slice(0, end + 1);
  return storyClauses(head).some((part) => !QUESTION.test(part)) ? head : undefined;
}

/** "ok it has like 100gb free, happy?": a taunt closing a statement asks nothing; read as a question, the answer was lost. */
const TAUNT = /[\s,.;:!-]+(?:(?:are |r )?(?:you|u) )?(?:happy|satisfied)(?: now)?\s*\?+\s*$/i;
export const withoutTaunt = (text: string): string => text.replace(TAUNT, '').trim() || text;

/** "Before you ask", "b4 u ask": said beside answers, it answers nothing itself. */
const BEFORE_YOU_ASK = /[\s,;:-]*\b(?:before|b4) (?:you|u) ask(?: me)?\b[\s,;:-]*/gi;
export const withoutBeforeYouAsk = (text: string): string => text.replace(BEFORE_YOU_ASK, ' ').trim() || text;

/** A sentence that opens with "before you ask" ("and b4 u ask the wifi is fine"): what was checked, told ahead. */
const TOLD_AHEAD = /^(?:(?:and|also|oh|ok|plus)[\s,]+)?(?:before|b4) (?:you|u) ask\b/i;
/**
 * "ipad wont finish restoring, keeps erroring out. and before u ask the wifi is fine": the message
 * without its sentences told ahead, when it has one and something else; undefined otherwise.
 */
export function withoutToldAhead(text: string): string | undefined {
  const sentences = text.split(/(?<=[.!?])\s+/);
  const rest = sentences.filter((sentence) => !TOLD_AHEAD.test(sentence.trim()));
  return rest.length > 0 && rest.length < sentences.length ? rest.join(' ') : undefined;
}

/** "I have loads of videos so prob almost full": what the customer concludes, after a clause that led to it. */
const CONCLUDED = /\S\s+(?:and\s+)?so\s+(?!(?:far|much|many|long|slow|fast|i|we)\b)([^,.;!?]+?)[\s.!]*$/i;
export const conclusionOf = (text: string): string | undefined => CONCLUDED.exec(text)?.[1]?.trim();

/** "Hows the weather where u are lol. anyway wifi is on": an aside, then "anyway" back to the matter. */
const ANYWAY = /^(.+?)(?:[.!?,;]+\s*|\s+)(?:anyway|anyways|anyhow)\b[\s,:.!-]*(\S.*)$/i;
export const besideAnyway = (text: string): { aside: string; matter: string } | undefined => {
  const [, aside, matter] = ANYWAY.exec(text) ?? [];
  return aside && matter ? { aside, matter } : undefined;
};

/** "What other backups?", "which settings": the step's own words echoed back, asking what they mean. */
export const ECHOED = /^\s*(?:what|wat|wut|which)\s+(?!(?:now|next|else|then|about|if|do|does|did|is|are|was|should|can|would|will)\b)(?:[\w'-]+\s+){0,2}[\w'-]+\s*\?*\s*$/i;

/** Where one typed message may hold several answers: punctuation, "and", "but", "also", "plus". */
// Not inside a figure: "only 1.1gb free" is one clause, not "only 1" and "1gb free".
const CLAUSE_BREAK = /(?<!\d)[,;.!]+|[,;.!]+(?!\d)|\b(?:and|but|also|plus)\b/i;
/** Words that set one clause against another: the clauses are not a story around one answer. */
export const CONTRAST = /\b(?:but|however|though|although|except|yet)\b/i;
/** "Still the same error", "cleared space, didn't help": what was tried left the problem as it was. */
export const STILL_FAILING = /\b(?:still|same|again)\b[^.?!]*\b(?:error|fail(?:s|ed|ing)?|not work\w*|doesn'?t work|didn'?t work|won'?t|cannot|can'?t|stuck|no good|no luck|no joy|no change|nothing)\b|\b(?:didn'?t|did not|doesn'?t|does not) (?:help|work|fix)\b/i;

/** What comes before the first contrast ("connected to wifi yeah but same error" → "connected to wifi yeah"), if anything does. */
export function beforeContrast(text: string): string | undefined {
  const first = CONTRAST.exec(text);
  const before = first ? text.slice(0, first.index).replace(/[\s,;:.!-]+$/, '').trim() : '';
  return before.length > 0 ? before : undefined;
}

/** What follows the last contrast ("plugged in and on wifi but they keep coming" → "they keep coming"), if anything does. */
export function afterContrast(text: string): string | undefined {
  const contrasts = [...text.matchAll(new RegExp(CONTRAST.source, 'gi'))];
  const last = contrasts.at(-1);
  const after = last?.index === undefined ? '' : text.slice(last.index + last[0].length).replace(/^[\s,;:.!-]+/, '').trim();
  return after.length > 0 ? after : undefined;
}

const DEVICE = String.raw`(?:iphone|ipad|ipod(?: touch)?)`;
/**
 * "my ipad wont show my backup, sorry i mean iphone", "sorry i meant ipad not iphone": a device named
 * wrongly and put right. The correction is no clause of its own (no apology to read, no answer taken
 * back), and the device it names replaces the other one named before it in the message.
 */
const DEVICE_CORRECTED = new RegExp(String.raw`(?:^|[\s,.;!]+)(?:(?:sorry|oops|my bad|oh|wait)[\s,]+)*(?:i mean|i meant|meant)\s+(?:an?\s+|my\s+|the\s+)?(${DEVICE})\b(?:\s+not\s+(?:an?\s+|my\s+|the\s+)?${DEVICE})?(?:\s+lol)?\s*[.!]*`, 'i');

/** The message with a device put right where it was named wrongly, and without the correction. */
export function devicesCorrected(text: string): string {
  const match = DEVICE_CORRECTED.exec(text);
  const meant = match?.[1];
  if (!match || !meant) return text;
  const before = text.slice(0, match.index).replace(new RegExp(String.raw`\b${DEVICE}\b`, 'gi'), (named) => (named.toLowerCase() === meant.toLowerCase() ? named : meant));
  const after = text.slice(match.index + match[0].length);
  const corrected = `${before}${before && after && !/^[\s,.;!]/.test(after) ? ' ' : ''}${after}`.replace(/^[\s,.;!]+/, '').trim();
  // "sorry i mean ipad" alone puts right an earlier message: read as any other taking back.
  return corrected === '' ? text : corrected;
}

/**
 * "power is fine", "the account's ok", "wifi seems good", "youtube is working": something named other
 * than the restore said to be fine, which says nothing of whether the restore worked ("its fine now", "the restore's ok" do).
 */
const NAMED_FINE = /^\s*(?:(?:ok|okay|well|so|yeah|ya|um|and)[\s,]+)?(?:the |my |our |his |her |their )?([a-z][a-z-]*(?: [a-z][a-z-]*)?)(?:'s|s| is| are| seems| seem| looks| look| was)\s+(?:fine|good|ok|okay|great|all good|solid|strong|perfect|working|loading)\b/i;
const ABOUT_THE_RESTORE = new Set(['it', 'that', 'this', 'restore', 'backup', 'everything', 'all', 'phone', 'iphone', 'ipad', 'device', 'one', 'other one', 'older one', 'new one', 'second one', 'third one', 'last one']);
export function namesOtherAsFine(text: string): boolean {
  const subject = NAMED_FINE.exec(text)?.[1]?.toLowerCase();
  return subject !== undefined && !ABOUT_THE_RESTORE.has(subject) && !ABOUT_THE_RESTORE.has(subject.split(' ').at(-1) ?? '');
}

/**
 * Words that take an answer back: "wait, actually no", "sorry, I meant yes", "oops", "jk". What is left
 * without them is the answer meant. "Actually" takes back only before a clause or a yes or no:
 * before a verb ("what the alert actually said", "its actually going through") it only stresses it.
 */
const TAKING_BACK = /\b(?:i meant|i mean|actually(?=\s*(?:$|[,.!:;-]|(?:no|nope|nah|yes|yeah|not|i|i'm|im|it|it's|its|the|my|they|that|there|this|we|scrap|forget|ignore)\b))|wait|hold on|i lied|hang on|oops|sorry|my bad|jk|just kidding|kidding|scrap that|forget that|ignore that)\b[\s,.!:-]*/gi;
/** What a message that takes an answer back says was meant, if it takes one back and says anything more. */
export function correctionOf(text: string): string | undefined {
  const rest = text.replace(TAKING_BACK, ' ').replace(/\s+/g, ' ').trim();
  return rest !== text.replace(/\s+/g, ' ').trim() && rest.length > 0 ? rest : undefined;
}

/**
 * What a message says after it changes its mind midway, "yes it has... no wait, I don't think it ever
 * finished one" → "I don't think it ever finished one", if it does and says anything after.
 */
export function afterTakingBack(text: string): string | undefined {
  // "Its connected, the phone i mean. my pc is on a cable": an "i mean" closing a clause says what it meant, taking nothing back.
  // Nor does an "actually" closing a clause of its own words: "i do have 2 apple ids actually, a work one and my personal".
  const closesClause = (match: RegExpMatchArray) => {
    const word = /^(?:i mean|actually)/i.exec(match[0])?.[0];
    if (!word || !/^\s*(?:[,.!;:]|$)/.test(text.slice((match.index ?? 0) + word.length))) return false;
    return word.toLowerCase() === 'i mean' || (text.slice(0, match.index).split(/[,.!?;:]/).at(-1)?.match(/\p{L}+/gu)?.length ?? 0) >= 3;
  };
  const last = [...text.matchAll(new RegExp(TAKING_BACK.source, 'gi'))].filter((match) => /\p{L}/u.test(text.slice(0, match.index)) && !closesClause(match)).at(-1);
  // "No wait, actually works": an "actually" that only stresses the verb after it goes with the taking back.
  const after = last?.index === undefined ? '' : text.slice(last.index + last[0].length).replace(/^[\s,;:.!-]+/, '').replace(/^actually\s+/i, '').trim();
  return after.length > 0 ? after : undefined;
}

/**
 * "Ill try another one", "let me check my wifi first", "…, restarting now": a step about to be tried,
 * which says nothing yet of how it went. Only the customer's own future: "will it delete my photos"
 * is a question.
 */
export const PLANNED = /\bwait (?:till|til|until) (?:i'?m|i am|i get) (?:home|back)\b|(?:^|[\s,.;!])(?:i'?ll|i will|i'?m (?:gonna|going to)|gonna|let me|lemme|will)\s+(?:(?:just|now|quickly|first|go|and|then|give it a|have a|do a|get (?:her|him|them) to|have (?:her|him|them))\s+){0,3}(?:try|think|check|do|restart|reboot|update|look|see|free|delete|switch|turn|connect|plug|charge|pick|choose|give|test|ask|sign|leave|wait|bring|head|move|grab|snap|capture|screenshot|go (?:to|over to|home|back))\b|\b(?:downloading|installing) (?:it|that|the update|ios [\d.]+|[\d.]+)(?: now| rn)?\s*[.!]*\s*$|\b(?:restarting|rebooting|updating|trying|doing|starting|plugging (?:it )?in)(?: it| that| this| again)?(?: now| rn)?(?:[\s,.!]+(?:brb|be right back|bbl|one sec|1 sec|back soon))?\s*[.!]*\s*$|^\s*(?:(?:ok(?:ay)?|k|alright|right)[\s,.]+)?(?:restarting|rebooting|updating|trying|doing|checking)(?: it| that| this| now| rn| again| the (?:one|older|newer|other|oldest|newest)\b[^.!?]*)?\s*(?:[.!]|$)/i;

/** "I never update", "havent restarted it yet": a thing told as never done, its verb captured ("did not work", "didnt restore" tell how it went). */
export const NEVER_DONE = /\b(?:never|not yet|haven'?t|havent|have not|didn'?t|didnt|did not)\s+(?:(?:even|actually|ever|yet)\s+)?(?!(?:tried|try|done|do|work|worked|works|help|helped|fix|fixed|change|changed|go|went|finish|finished|get|got|show|showed|shown|come|came|start|started|know|knew|think|see|saw|restore|restored|load|loaded|download|downloaded|budge|move|moved|complete|completed|appear|appeared|connect|connected|happen|happened|stop|stopped)\b)([a-z]+)/i;

/** "Never tried the others", "i only tried the newest one": a step taken back as not done. */
export const UNTRIED = /\b(?:never|not|didn'?t|did not|haven'?t|have not)\s+(?:\w+\s+)?(?:tried|try|done|do)\b|\bonly (?:tried|did)\b/i;

/** "I picked the newest one": the backup the problem began with, no other backup tried. */
export const NEWEST_ONLY = /^(?:i\s+)?(?:(?:just|only)\s+)?(?:(?:ever|really|actually)\s+)?(?:picked|chose|choose|tried|used|selected|went with|clicked|tapped)\s+(?:on\s+)?(?:the\s+)?(?:newest|latest|most recent|last|top|first)(?:\s+(?:one|backup))?(?:\s+(?:on the list|in the list|so far))?(?:\s+(?:tbh|honestly|to be honest))?[\s.!]*$/i;

/** "Fine", "fine whatever": giving in, no answer. */
export const CONCEDED = /^(?:(?:fine|whatever|ok(?:ay)?|alright|anyway|sure|meh|ugh)[\s,.!]*)+$/i;

/** "…and tried again at 8:30, nope", "picked the older one, still fails at 10%": a bare no closing what was done, saying how it went. */
export const ENDS_IN_NO = /[\s,.;:!-]+(?:but\s+|and\s+)?(?:(?:it|its|it's)\s+(?=still\b))?(?:nope|nah|no|no good|no dice|no luck|no joy|no change|same|same thing|same again|same error|still the same|still (?:fails|failing|errors? out)(?:\s+(?:at|around|after|on)\s+[^,.;!?]{1,20})?)[.!]*\s*$/i;

/** Every clause of a message, however many: a story told step by step. */
/** A clause of a subject alone ("I" of "I also restarted it"): what the break after it cut off is its own. */
const SUBJECT_ONLY = /^(?:i|we|u|you|it|he|she|they)$/i;
export const storyClauses = (text: string): string[] => {
  // "Getting 'There was a problem loading your iCloud backups. Try again, set up as new, or restore from
  // iTunes backup'": a quoted alert is one thing the customer saw, not clauses of their own ("set up as new").
  const quotes: string[] = [];
  const kept = text.replace(QUOTED, (quote: string) => (CLAUSE_BREAK.test(quote) ? `\uE000${quotes.push(quote) - 1}\uE001` : quote));
  return kept
    .split(CLAUSE_BREAK)
    .map((part) => part.replace(/\uE000(\d+)\uE001/g, (_, index: string) => quotes[Number(index)] ?? '').trim())
    .filter((part) => part.length > 0)
    .reduce<string[]>((parts, part) => (SUBJECT_ONLY.test(parts.at(-1) ?? '') ? [...parts.slice(0, -1), `${parts.at(-1)} ${part}`] : [...parts, part]), []);
};
/** Words in quotes, opened after a space and closed before one: an apostrophe inside a word ("can't") closes nothing. */
const QUOTED = /(?<=^|[\s(:])["\u201C\u2018'][^"\u201C\u201D]*?["\u201D\u2019'](?=[\s,.;:!?)]|$)/g;

/** Every clause, a "?" inside the message ending one too (and kept with it, as QUESTION reads it); "??" and "?!" end it once. */
export const clausesAsked = (text: string): string[] => storyClauses(text.replace(/\?[?!]+/g, '?').replace(/\?\s*(?=\S)/g, '?. '));

/** A when-clause opening a clause told without a comma, up to the subject of the clause it sets the scene for. */
const WHEN_SCENE = /^\s*(?:(?:and|so|but|ok|okay|then)\s+)*(?:when|whenever|every time|each time)\s+(?:i|we)\s+(?:\S+\s+){1,6}?(?=(?:my|it|its|it's|there|theres|there's|nothing)\b)/i;

/** "when i go to restore from icloud my backup just isnt there": the clause after the scene, when there is one. */
export function afterWhenScene(clause: string): string | undefined {
  const scene = WHEN_SCENE.exec(clause);
  const main = scene ? clause.slice(scene[0].length).trim() : '';
  return main.length > 0 ? main : undefined;
}

/** More parts than this is a story, not a list of answers. */
const MAX_ANSWERS_IN_ONE = 4;

/** The clauses of a message that may hold several answers: undefined for a single clause, or for a story. */
export function answerClauses(text: string): string[] | undefined {
  const parts = storyClauses(text);
  return parts.length >= 2 && parts.length <= MAX_ANSWERS_IN_ONE ? parts : undefined;
}

/** More clauses than this is more than one problem's story: the message is read whole. */
const MAX_TOLD = 12;

/**
 * The clauses of a story told in one message ("long story, … it keeps saying Cannot Restore Backup. i
 * already picked the newest one …"), a "?" inside it ending one too: undefined for a single clause,
 * or for more than MAX_TOLD.
 */
export function toldClauses(text: string): string[] | undefined {
  const parts = clausesAsked(text);
  return parts.length >= 2 && parts.length <= MAX_TOLD ? parts : undefined;
}

/** A message's questions: its clauses (see clausesAsked), undefined for one, or for more than a list of answers holds. */
export function questionClauses(text: string): string[] | undefined {
  const parts = clausesAsked(text);
  return parts.length >= 2 && parts.length <= MAX_ANSWERS_IN_ONE ? parts : undefined;
}

/** Where a request may begin inside a run-on message: "taking forever can i speak to someone". */
const REQUEST_OPENER = /\b(?:can|could|may|pls|please) (?:i|we|you|someone|somebody)\b|\b(?:i want|i'd like|i would like|i need|let me|get me|put me|connect me)\b/gi;

/** "Don't put me through to a person": the request is refused, not made. */
const DENIED = /\b(?:not|don'?t|do not|never|no)\s*$/i;

/**
 * The parts of a message that may be a request of their own: its clauses, and what follows a request
 * opener after its first word, so a run-on message without punctuation still shows one.
 */
export function requestParts(text: string): string[] {
  const opens = (index: number) => !DENIED.test(text.slice(0, index));
  const tails = [...text.matchAll(REQUEST_OPENER)].filter((match) => opens(match.index ?? 0)).map((match) => text.slice(match.index));
  // "Get me someone who actually knows what they're doing": the request is said before the relative clause dilutes it.
  const requests = tails.map((tail) => tail.split(RELATIVE)[0]?.trim() ?? tail).filter((request, index) => request !== tails[index]);
  // "Can I just talk to somebody at apple this is taking ages": the request ends with whom it asks for.
  const people = tails.map((tail) => TO_A_PERSON.exec(tail)?.[0]).filter((request): request is string => request !== undefined && !tails.includes(request));
  return [...new Set([...(questionClauses(text) ?? []), ...tails.filter((tail) => tail !== text), ...requests, ...people])];
}

/** A request to talk to someone, up to whom it asks for: a person, not "my husband". */
const TO_A_PERSON = /^(?:(?:can|could|may) (?:i|we) (?:just |please )?|(?:i want|i need|i'd like|i would like) to |(?:pls|please) (?:let me )?)(?:(?:talk|speak|chat) (?:to|with)|get|have) (?:an? )?(?:real |actual )?(?:somebody|someone|person|human|agent|representative|specialist|technician|advisor|adviser|expert)\b|^(?:i want|i need|i'd like|i would like|get me|give me) (?:an? )?(?:real |actual |live )?(?:somebody|someone|person|human|agent|representative|specialist|technician|advisor|adviser|expert)\b/i;

/** Where a relative or reason clause begins, after the request it qualifies. */
const RELATIVE = /\b(?:who|that|which|because|cause|cos|coz|since)\b/i;

/** An order to be put through ("put me through to them now", "get me someone"): nothing else is asked this way. */
export const CONNECT_ME = new RegExp(`^(?:put|get|connect|transfer|pass|send) me\\b|${TO_A_PERSON.source}`, 'i');

/**
 * A person asked to do something, or to be shown something, or for one to talk to: "can someone
 * actually look at the screenshot", "can i send it to a real person", "anyone i can actually speak
 * to?". The thing named ("screenshot") leans to its own topic; whom it is asked of says a person is wanted.
 */
const SOMEONE = String.raw`(?:someone|somebody|anyone|a (?:real |live |actual )?(?:person|human)|an? (?:agent|human|specialist|technician)|support)`;
export const A_PERSON_ASKED = new RegExp(String.raw`^(?:(?:can|could|would|will) ${SOMEONE} (?:actually |please |just )?\w+|(?:can|could|may) (?:i|we) (?:just )?(?:send|show|give) (?:it|this|that|the \w+|my \w+) to ${SOMEONE}|(?:(?:is|are) there )?${SOMEONE} (?:i|we) (?:can|could) (?:actually |please |just )?(?:speak|talk|chat|write) (?:to|with))\b`, 'i');

/**
 * "fine. how long till someone answers", "is anyone going to reply": when a person will come is
 * asked, which only the handoff can say ("how long" alone leans to a slow restore).
 */
export const ASKS_WHEN_SOMEONE_COMES = new RegExp(
  String.raw`\bhow long (?:till|until|before|for|will it take for|does it take for) ${SOMEONE} (?:to )?(?:answers?|repl(?:y|ies)|responds?|gets? back|comes?|joins?|picks? up)\b|\bwhen (?:will|does|do|is) ${SOMEONE} (?:going to |gonna )?(?:answer|reply|respond|get back|come|join|pick up)\b|\b(?:is|will) ${SOMEONE} (?:going to |gonna |ever )?(?:answer|reply|respond|get back|come|join|pick up)\b|\bhow long (?:is|will be) the (?:wait|queue)\b`,
  'i',
);

/**
 * "Is this a real person?", "am i talking to a bot or what": who is answering is asked; no person
 * is asked for, as "is there a real person i can talk to" asks.
 */
export const ASKS_WHO_ANSWERS = /^(?:(?:hi|hello|hey|wait|hang on|hold on|so|ok|um+|sorry|btw)\W+)*(?:is this|is that|are you|are u|r u|ru|am i (?:talking|chatting|speaking|typing) (?:to|with))\s+(?:just\s+)?(?:an?\s+)?(?:real |actual |live |automated )?(?:person|human|bot|robot|machine|ai|computer|chat ?bot)\b/i;

/** Lower case, punctuation and emoji gone: how a typed label or command is compared with ours. */
export const simplify = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** "What should I try first", "then what do I do", "where do I start", "whats the free way then": asking for the next thing to do. */
export const WHAT_TO_DO = /\bwhat (?:do|should|can|shall|would) i (?:do|try)\b|\b(?:now|then|so) what\b|\bwhat (?:now|next)\b|\bwhere do i (?:start|begin)\b|\bwhat(?:'?s| is| are) the (?:\w+ )?(?:way|steps|alternatives?|options?)\b/i;

/** Words that open a message without saying anything of it. */
export const PREFACE = /^(?:(?:before|b4) (?:you|u) ask|just so you know|for the record|fyi|btw|by the way)\b[\s,:-]*/i;

/**
 * "ok back to it. what was next after wifi", "so whats next": only asking which step comes next,
 * after going back to the walk-through or not; never a question about the thing named after "after".
 */
export const ASKS_NEXT = /^\W*(?:(?:ok|okay|so|right|alright|and|anyway|anyways)\W+|back to (?:it|this|the steps?)\W+)*what(?:'?s| is| was| comes| came)? (?:next|after that)(?:\s+after\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?\W*$/i;

/** "the newer one", "the older ones": a backup by its age, which is how customers tell their backups apart. */
const ONE_BY_AGE = /\b(the|an?)\s+((?:more\s+)?(?:newer|newest|older|oldest|latest|earlier|previous|recent|other))\s+one(s?)\b/gi;

/**
 * "how do i pick the newer one": in a question, a one told apart by its age is a backup, which the
 * recogniser cannot know ("one" alone leaned to asking what was meant); told, as an answer, it stays.
 */
export function backupsNamed(text: string): string {
  return QUESTION.test(text) ? text.replace(ONE_BY_AGE, '$1 $2 backup$3') : text;
}

/** Power or Wi-Fi in place: "plugged in", "charging", "on the wifi", "connected". */
const IN_PLACE = String.raw`(?:plugged (?:it )?in|charging|on (?:the |my |a )?(?:wifi|wi-fi|charger|power)|connected)`;
/** "Plugged in and on wifi now": power or Wi-Fi in place as of now. */
export const IN_PLACE_NOW = new RegExp(String.raw`\b${IN_PLACE}\b.*\bnow\b`, 'i');
/** Power and Wi-Fi told to have been in place all along: "its plugged in and on wifi already", "was charging on wifi the whole night". */
export const IN_PLACE_BEFORE = new RegExp(String.raw`\b${IN_PLACE}\b.*\b(?:already|the whole (?:time|night|day)|all along|all (?:night|day)|overnight)\b|\b(?:already|been)\s+${IN_PLACE}\b`, 'i');

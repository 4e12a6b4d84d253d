import { describe, expect, it } from 'vitest';
import { afterWhenScene, A_PERSON_ASKED, asksToGoOn, ASKS_WHO_ANSWERS, ASKS_WHY_IT_HELPS, beforeContext, CHECKS_MEANING, lastSentence, onlyGoOn, storyClauses, WHAT_ELSE, withoutTaunt, afterContrast, besideAnyway, conclusionOf, afterTakingBack, answerClauses, ASKS_HOW, beforeContrast, beforeGoOn, CONNECT_ME, CONTRAST, correctionOf, ECHOED, PLANNED, QUESTION, questionClauses, requestParts, simplify, STILL_FAILING, toldClauses, withoutBeforeYouAsk, withoutToldAhead, NEWEST_ONLY, clausesAsked, withoutGreeting, withoutSigh, withoutSignature, ASKS_IF_NEEDED, ASKS_WHAT_FIRST, ASKS_WHEN_SOMEONE_COMES, devicesCorrected, namesOtherAsFine, ENDS_IN_NO, NEVER_DONE, ASKS_NEXT, backupsNamed, RESTORE_RUNNING, UNPOWERED } from '../../src/bot/messageShape.js';

describe('the shape of a typed message', () => {
  it('finds the answer before a request to go on, and nothing when the request stands alone', () => {
    expect(beforeGoOn('ok theres enough. now what')).toBe('ok theres enough');
    expect(beforeGoOn("restarted it, what's next?")).toBe('restarted it');
    expect(beforeGoOn('ok now what')).toBeUndefined();
    expect(beforeGoOn('what now')).toBeUndefined();
    expect(beforeGoOn('the wifi is fine')).toBeUndefined();
    expect(beforeGoOn('found one from friday. anything else before i start?')).toBe('found one from friday');
    expect(beforeGoOn('ok so whats next')).toBeUndefined();
    expect(beforeGoOn('k alright what now')).toBeUndefined();
  });

  it('puts a device named wrongly right, and drops the correction', () => {
    expect(devicesCorrected('my ipad wont show my backup when restoring, sorry i mean iphone, its an iphone 8')).toBe('my iphone wont show my backup when restoring, its an iphone 8');
    expect(devicesCorrected('sorry i mean ipad not iphone, and it just sits at estimated time remaining forever')).toBe('and it just sits at estimated time remaining forever');
    expect(devicesCorrected('oops i meant my ipad. the backup is gone')).toBe('the backup is gone');
    // Nothing else left: the correction is read as any other taking back.
    expect(devicesCorrected('sorry i mean ipad')).toBe('sorry i mean ipad');
    for (const said of ['its my iphone, i mean the restore is slow', 'sorry i meant yes']) expect(devicesCorrected(said)).toBe(said);
  });

  it('hears something other than the restore said to be fine', () => {
    for (const said of ['power is fine', "wifi's fine", 'the account is ok', 'my apple id seems good', 'spotify is working']) expect(namesOtherAsFine(said), said).toBe(true);
    for (const said of ['its fine now', "the restore's ok", 'the older one is fine', 'all good now', 'it worked']) expect(namesOtherAsFine(said), said).toBe(false);
  });

  it('hears when a person will come asked, not how long the restore takes', () => {
    for (const said of ['fine. how long till someone answers', 'is anyone going to answer me', 'when will an agent reply', 'how long is the wait'])
      expect(ASKS_WHEN_SOMEONE_COMES.test(said), said).toBe(true);
    for (const said of ['how long till its done', 'how long will the restore take', 'when will it finish', 'is it going to work'])
      expect(ASKS_WHEN_SOMEONE_COMES.test(said), said).toBe(false);
  });

  it('hears a request to go on at the end of a message, not a question about what comes next', () => {
    for (const said of ['whats next', 'ok thx. so whats next', 'next pls', 'k alright what now', 'ok cheers. what next?'])
      expect(asksToGoOn(said), said).toBe(true);
    for (const said of ['what comes next after the restart?', 'ok thanks', 'is the next step the update'])
      expect(asksToGoOn(said), said).toBe(false);
  });

  it('hears "idk how to check other backups" and "…, is that also normal" as asking, and "idk what the alert said" as telling', () => {
    expect(QUESTION.test('idk how to check other backups')).toBe(true);
    expect(QUESTION.test('i dont know where to find that')).toBe(true);
    expect(QUESTION.test('idk what the alert said')).toBe(false);
    expect(QUESTION.test('it wants three passwords, wtf is that')).toBe(true);
    expect(QUESTION.test('wtf it failed again')).toBe(false);
    expect(QUESTION.test('its from june so will i get my july videos')).toBe(true);
    expect(QUESTION.test('so i restarted it')).toBe(false);
    expect(QUESTION.test('also it asked for my own password like 3 times, is that also normal')).toBe(true);
    expect(QUESTION.test('it is normal')).toBe(false);
    expect(QUESTION.test('my sister put her music on it, is that why it wants her login')).toBe(true);
    expect(QUESTION.test('that is why i asked')).toBe(false);
  });

  it('hears the newest backup tried alone, with "ever" or "tbh" around it, and not another backup tried', () => {
    expect(NEWEST_ONLY.test('only ever tried the latest one tbh')).toBe(true);
    expect(NEWEST_ONLY.test('i just picked the top one')).toBe(true);
    expect(NEWEST_ONLY.test('tried the older one')).toBe(false);
  });

  it('hears "why wouldnt they" as checking what was just said, and "why is it slow" as no check', () => {
    expect(CHECKS_MEANING.test('why wouldnt they come over, theyre mine')).toBe(true);
    expect(CHECKS_MEANING.test("why won't it restore")).toBe(true);
    expect(CHECKS_MEANING.test('why is it so slow')).toBe(false);
  });

  it('ends a clause once at "??" or "?!", leaving no clause of marks alone', () => {
    expect(clausesAsked('none of my photos came back?? the apps did')).toEqual(['none of my photos came back?', 'the apps did']);
    expect(clausesAsked('why?!? it was fine')).toEqual(['why?', 'it was fine']);
  });

  it('hears "scrap that" and "actually forget that" as taking back what was said', () => {
    expect(correctionOf('actually scrap that use the newest')).toBe('use the newest');
    expect(correctionOf('forget that, the older one')).toBe('the older one');
    expect(correctionOf('actually the storage is fine')).toBe('the storage is fine');
  });

  it('tells a question from a statement by its mark or its opening words', () => {
    expect(QUESTION.test('is it ok if I use it')).toBe(true);
    expect(QUESTION.test('the wifi is fine?')).toBe(true);
    expect(QUESTION.test('the wifi is fine')).toBe(false);
    expect(QUESTION.test('ok so can i use whatsapp while its going')).toBe(true);
    expect(QUESTION.test('quick q can i stop it and do it later')).toBe(true);
    expect(QUESTION.test('one from march and one from yesterday which do i pick')).toBe(true);
    expect(QUESTION.test('the backup which i made yesterday is gone')).toBe(false);
    expect(QUESTION.test('if that doesnt work can i just restore hers instead')).toBe(true);
    expect(QUESTION.test('if that doesnt work')).toBe(false);
    expect(QUESTION.test('one more question: where do i see the size')).toBe(true);
    expect(QUESTION.test('btw can i still use my phone')).toBe(true);
    expect(QUESTION.test('should have room')).toBe(false);
    expect(QUESTION.test('will do')).toBe(false);
    expect(QUESTION.test("it's on ios 17.5 which is the latest")).toBe(false);
    expect(QUESTION.test('which is the newest backup')).toBe(true);
    expect(QUESTION.test('ok so what is the next step')).toBe(true);
    expect(QUESTION.test('wont that delete everything on it')).toBe(true);
    expect(QUESTION.test("won't restore at all")).toBe(false);
    expect(QUESTION.test('ok were set, anything we need to check first')).toBe(true);
    expect(QUESTION.test('just tell me which backup to pick')).toBe(true);
    expect(QUESTION.test('its on sale tho, r u sure')).toBe(true);
    expect(QUESTION.test('tell me about it, it never works')).toBe(false);
    expect(QUESTION.test('i did anything i could')).toBe(false);
    expect(QUESTION.test('ugh. anything i can do to speed it up')).toBe(true);
    expect(QUESTION.test('wat does that button do')).toBe(true);
  });

  it("hears the step's own words echoed back as a question, never a request to go on or a question with a verb", () => {
    expect(ECHOED.test('wat other backups')).toBe(true);
    expect(ECHOED.test('which settings?')).toBe(true);
    expect(ECHOED.test('what now')).toBe(false);
    expect(ECHOED.test('what do i tap')).toBe(false);
    expect(ECHOED.test('what other backups do i have, it only shows one')).toBe(false);
  });

  it('hears a step being done now as a plan, a "brb" after it too', () => {
    expect(PLANNED.test('k doing that now')).toBe(true);
    expect(PLANNED.test('updating, brb')).toBe(true);
    expect(PLANNED.test('installing the update now')).toBe(true);
    expect(PLANNED.test('ok ill wait')).toBe(true);
    expect(PLANNED.test('an alert came up while its downloading')).toBe(false);
    expect(PLANNED.test('it keeps updating the same apps')).toBe(false);
    expect(PLANNED.test('ok so just wait till im home basically')).toBe(true);
    expect(PLANNED.test('i had to wait until the update finished')).toBe(false);
    expect(PLANNED.test('ok trying the older one from march')).toBe(true);
    expect(PLANNED.test('k updating. this will take ages')).toBe(true);
    expect(PLANNED.test('gonna have him do that now')).toBe(true);
    expect(PLANNED.test('trying everything and nothing works')).toBe(false);
  });

  it('hears a person asked to look at something, or something sent to a person, and not a person only mentioned', () => {
    expect(A_PERSON_ASKED.test('could someone please check the screenshot')).toBe(true);
    expect(A_PERSON_ASKED.test('can i show my picture to a real person')).toBe(true);
    expect(A_PERSON_ASKED.test('someone told me to restart it')).toBe(false);
    expect(A_PERSON_ASKED.test('can i send the screenshot to my husband')).toBe(false);
  });

  it('finds what a message concludes after "so", never "so far", "so slow" or an opening "so"', () => {
    expect(conclusionOf('i have loads of videos so prob almost full')).toBe('prob almost full');
    expect(conclusionOf('its on the same wifi as my laptop so its fine.')).toBe('its fine');
    expect(conclusionOf('so the wifi is fine')).toBeUndefined();
    expect(conclusionOf('tried 3 so far')).toBeUndefined();
    expect(conclusionOf('i tried that so i dont know')).toBeUndefined();
  });

  it('parts an aside from the matter "anyway" turns back to, and leaves a message without one whole', () => {
    expect(besideAnyway('hows the weather lol. anyway wifi is on')).toEqual({ aside: 'hows the weather lol', matter: 'wifi is on' });
    expect(besideAnyway('whatever, anyways the older ones fail too')).toEqual({ aside: 'whatever', matter: 'the older ones fail too' });
    expect(besideAnyway('anyway wifi is on')).toBeUndefined();
    expect(besideAnyway('the wifi is on anyway')).toBeUndefined();
  });

  it('tells a question of who is answering from a request for a person', () => {
    expect(ASKS_WHO_ANSWERS.test('hi is this a real person?')).toBe(true);
    expect(ASKS_WHO_ANSWERS.test('am i chatting with a bot')).toBe(true);
    expect(ASKS_WHO_ANSWERS.test('are you human')).toBe(true);
    expect(ASKS_WHO_ANSWERS.test('is there a real person i can talk to')).toBe(false);
    expect(ASKS_WHO_ANSWERS.test('is this a problem with my phone')).toBe(false);
  });

  it('drops a greeting that opens a longer message, and keeps a greeting that is the message', () => {
    expect(withoutGreeting('Hello, I started restoring my iPad at 9 and it is still going')).toBe('I started restoring my iPad at 9 and it is still going');
    expect(withoutGreeting('hi there, anyone around?')).toBe('hi there, anyone around?');
    expect(withoutGreeting('hello')).toBe('hello');
    expect(withoutGreeting('hiking trip wifi is bad here tbh')).toBe('hiking trip wifi is bad here tbh');
  });

  it('drops a sigh ending in a stop before what is asked, and keeps "fine", which answers a step', () => {
    expect(withoutSigh('whatever. how long does a restore take on a slow line')).toBe('how long does a restore take on a slow line');
    expect(withoutSigh('ugh, still no backups in the list')).toBe('still no backups in the list');
    expect(withoutSigh('whatever.')).toBe('whatever.');
    expect(withoutSigh('fine. restarted it and same error')).toBe('fine. restarted it and same error');
    expect(withoutSigh('whatever works best')).toBe('whatever works best');
  });

  it('reads a plan to go somewhere or bring something as a plan', () => {
    expect(PLANNED.test('ill go to my friends place and try there')).toBe(true);
    expect(PLANNED.test('i will bring the charger tomorrow')).toBe(true);
    expect(PLANNED.test('it will go on for hours')).toBe(false);
  });

  it('finds a thing told as never done, and never an outcome ("didnt restore") told as one', () => {
    expect(NEVER_DONE.exec('its on the ios it came with, i never update')?.[1]).toBe('update');
    expect(NEVER_DONE.exec('havent restarted it yet')?.[1]).toBe('restarted');
    expect(NEVER_DONE.test('restarted it but it didnt restore')).toBe(false);
    expect(NEVER_DONE.test('it did not work')).toBe(false);
  });

  it('hears a bare "still fails", even at a point of the restore, closing what was done', () => {
    expect(ENDS_IN_NO.test('went with the one from tuesday, still fails at about 30%')).toBe(true);
    expect(ENDS_IN_NO.test('restarted it, nope')).toBe(true);
    expect(ENDS_IN_NO.test('it still fails because the wifi drops')).toBe(false);
  });

  it('takes a customer back ("im back", "back again", "hi again") for a greeting, not for a problem back', () => {
    expect(withoutGreeting('im back. the restore has been running all night on a 2gb backup')).toBe('the restore has been running all night on a 2gb backup');
    expect(withoutGreeting('hi again, the phone still says cannot restore backup')).toBe('the phone still says cannot restore backup');
    expect(withoutGreeting('back again, it is still at the same point')).toBe('it is still at the same point');
    expect(withoutGreeting('the error is back again')).toBe('the error is back again');
  });

  it('drops "before you ask" however it is typed, and leaves a message that is nothing else', () => {
    expect(withoutBeforeYouAsk('storage is fine b4 u ask')).toBe('storage is fine');
    expect(withoutBeforeYouAsk('before you ask, restarted it twice')).toBe('restarted it twice');
    expect(withoutBeforeYouAsk('before you ask')).toBe('before you ask');
  });

  it('finds the matter of a message beside a sentence told ahead ("and before u ask the wifi is fine"), and none without one or without anything else', () => {
    expect(withoutToldAhead('ipad wont restore, keeps erroring out. and before u ask the wifi is fine')).toBe('ipad wont restore, keeps erroring out.');
    expect(withoutToldAhead('b4 u ask, ive restarted it. restore keeps failing')).toBe('restore keeps failing');
    expect(withoutToldAhead('ipad wont restore, before you ask the wifi is fine')).toBeUndefined();
    expect(withoutToldAhead('before you ask, the wifi is fine.')).toBeUndefined();
  });

  it('tells a request for instructions from a question about how a step went', () => {
    expect(ASKS_HOW.test('how do i take a screenshot on iphone')).toBe(true);
    expect(ASKS_HOW.test('where can i find manage storage')).toBe(true);
    expect(ASKS_HOW.test('how long does it take')).toBe(false);
    expect(ASKS_HOW.test('yes, got it')).toBe(false);
  });

  it('finds what a message says after changing its mind midway, and nothing when it opens with the change or ends on it', () => {
    expect(afterTakingBack('yes it has... no wait actually i dont think it ever finished one')).toBe('i dont think it ever finished one');
    expect(afterTakingBack("wait, actually no, I'm home")).toBe("no, I'm home");
    expect(afterTakingBack('yes it has')).toBeUndefined();
    expect(afterTakingBack('it worked, sorry')).toBeUndefined();
    expect(afterTakingBack('its charging, the ipad i mean. the laptop is on a cable')).toBeUndefined();
    expect(afterTakingBack('yes i mean no, never')).toBe('no, never');
  });

  it('hears no change of mind in an "actually" that only stresses the verb after it', () => {
    expect(afterTakingBack('i cant remember what the message actually said, it went away')).toBeUndefined();
    expect(correctionOf('its actually going through this time')).toBeUndefined();
    expect(afterTakingBack('no wait, actually works')).toBe('works');
    expect(afterTakingBack('im on 4g right now actually not wifi')).toBe('not wifi');
  });

  it('splits a story into its clauses, a question ending one, up to a dozen', () => {
    expect(toldClauses('long story. my son set it up, now it says cannot restore backup? tried the old ones')).toEqual(['long story', 'my son set it up', 'now it says cannot restore backup?', 'tried the old ones']);
    expect(toldClauses('cannot restore backup')).toBeUndefined();
    expect(toldClauses(Array.from({ length: 13 }, (_, index) => `part ${index}`).join(', '))).toBeUndefined();
  });

  it('finds the parts of a run-on message that may be a request of their own, but not a refused one', () => {
    expect(requestParts('this restore is taking forever can i speak to someone')).toEqual(['can i speak to someone']);
    expect(requestParts('no the others fail too, get me a human')).toEqual(['no the others fail too', 'get me a human']);
    expect(requestParts("slow restore, please don't put me through to a person")).toEqual(['slow restore', "please don't put me through to a person"]);
    expect(requestParts('can i speak to someone')).toEqual([]);
    expect(requestParts('get me someone who actually knows what theyre doing')).toEqual(['get me someone']);
    expect(requestParts('yes put me through to them now')).toEqual(['put me through to them now']);
    expect(requestParts('this is useless i need a real person NOW my ipad wont restore')).toEqual(['i need a real person NOW my ipad wont restore', 'i need a real person']);
  });

  it('breaks a message into two to four clauses, and leaves a single clause or a story whole', () => {
    expect(answerClauses('tried the other backups, and the wifi is fine')).toEqual(['tried the other backups', 'the wifi is fine']);
    expect(answerClauses('still failing')).toBeUndefined();
    expect(answerClauses('a, b, c, d, e')).toBeUndefined();
  });

  it('ends a question at its mark inside a message and keeps the mark with it', () => {
    expect(questionClauses('which backup should i pick? are my photos in it?')).toEqual(['which backup should i pick?', 'are my photos in it?']);
  });

  it('sees a contrast between clauses and compares labels without case, punctuation or emoji', () => {
    expect(CONTRAST.test('it worked but now it is stuck')).toBe(true);
    expect(simplify('  Yes, it worked! 👍')).toBe('yes it worked');
  });

  it('finds what follows the last contrast, and nothing when the contrast ends the message', () => {
    expect(afterContrast("it's on the charger, but the alerts keep coming")).toBe('the alerts keep coming');
    expect(afterContrast('tried one but then the other, yet same error')).toBe('same error');
    expect(afterContrast('it works now though')).toBeUndefined();
    expect(afterContrast('no change at all')).toBeUndefined();
  });

  it('tells an order to be put through from other requests', () => {
    expect(CONNECT_ME.test('put me through to them now')).toBe(true);
    expect(CONNECT_ME.test('let me talk to my husband first')).toBe(false);
    expect(CONNECT_ME.test('can i just talk to somebody')).toBe(true);
    expect(requestParts('honestly can i just talk to somebody at apple this is taking ages')).toContain('can i just talk to somebody');
  });

  it('finds what comes before the first contrast, and nothing when the contrast opens the message', () => {
    expect(beforeContrast('connected to wifi yeah, but it keeps saying the same error')).toBe('connected to wifi yeah');
    expect(beforeContrast('but it still fails')).toBeUndefined();
    expect(beforeContrast('no change at all')).toBeUndefined();
  });

  it('tells news that the problem is still there from news that it is gone', () => {
    expect(STILL_FAILING.test('it keeps saying the same error')).toBe(true);
    expect(STILL_FAILING.test("cleared space, didn't help")).toBe(true);
    for (const said of ['ok plugged it in. still no good', 'restarted, still nothing', 'still no luck']) expect(STILL_FAILING.test(said), said).toBe(true);
    expect(STILL_FAILING.test('it is restoring now')).toBe(false);
  });

  it('finds what a message that takes an answer back meant, and nothing when it takes nothing back or says nothing more', () => {
    expect(correctionOf("wait, actually no, I'm home")).toBe("no, I'm home");
    expect(correctionOf('sorry I meant yes, another backup worked')).toBe('yes, another backup worked');
    expect(correctionOf('oh no i lied, i only tried one of the other two')).toBe('oh no i only tried one of the other two');
    expect(correctionOf('the wifi is fine')).toBeUndefined();
    expect(correctionOf('oops sorry')).toBeUndefined();
  });

  it('asks why a step could help only when it asks why it would help, matter or work, never why it still fails', () => {
    for (const asked of ['why would a different backup work if this one doesnt', 'what does wifi have to do with it', 'and dont say storage, why would that matter on a new phone', 'how would that help']) expect(ASKS_WHY_IT_HELPS.test(asked), asked).toBe(true);
    for (const other of ['why does it still not work', 'why is my restore so slow', 'how does it work']) expect(ASKS_WHY_IT_HELPS.test(other), other).toBe(false);
  });

  it('takes the question out of answers before it and a few words about it after it', () => {
    expect(beforeContext('tried the older 2, nope. also do my photos come back? i have icloud photos on')).toBe('tried the older 2, nope. also do my photos come back?');
    expect(beforeContext('do my photos come back? i have icloud photos on')).toBeUndefined();
    expect(beforeContext('tried the older 2, nope. do my photos come back?')).toBeUndefined();
  });

  it('hears a bare request for the next fix, and "any other ideas", as going on', () => {
    for (const next of ['next', 'ok next step please', 'next idea', 'so next brilliant idea', 'skip this one', 'move on']) expect(onlyGoOn(next), next).toBe(true);
    for (const other of ['now what', 'what next', 'the next backup failed too']) expect(onlyGoOn(other), other).toBe(false);
    expect(WHAT_ELSE.test('rebooted, nope. any last idea?')).toBe(true);
    expect(beforeGoOn('18gb free. next')).toBe('18gb free');
    expect(beforeGoOn('256gb and its empty. next brilliant idea?')).toBe('256gb and its empty');
  });

  it('reads a taunt closing a statement as no question', () => {
    expect(withoutTaunt('ugh ok it has like 100gb free, happy?')).toBe('ugh ok it has like 100gb free');
    expect(withoutTaunt('are you happy with the answer?')).toBe('are you happy with the answer?');
  });

  it('finds the last sentence, never cut inside a figure', () => {
    expect(lastSentence('that is so dumb. can you just get it back for me')).toBe('can you just get it back for me');
    expect(lastSentence('only 1.1gb free!')).toBe('only 1.1gb free');
  });

  it('never leaves a subject alone in a clause of its own', () => {
    expect(storyClauses('storage is fine. I also restarted it')).toEqual(['storage is fine', 'I restarted it']);
  });

  it('keeps a quoted alert whole, and an apostrophe inside a word closes no quote', () => {
    expect(storyClauses("getting 'There was a problem. Try again, set up as new' what does that mean")).toEqual(["getting 'There was a problem. Try again, set up as new' what does that mean"]);
    expect(storyClauses('it says "cannot restore backup" and i tried the others, no luck')).toEqual(['it says "cannot restore backup"', 'i tried the others', 'no luck']);
    expect(storyClauses("it's on wifi, i can't restore")).toEqual(["it's on wifi", "i can't restore"]);
  });

  it('never ends a clause inside a figure', () => {
    expect(storyClauses('oh. only 1.1gb free. thats probably it')).toEqual(['oh', 'only 1.1gb free', 'thats probably it']);
  });

  it("reads a letter without its sign-off, signature and mail app's footer, and keeps a closing thanks or a sign-off alone", () => {
    const letter = 'Hello,\nMy iPad shows no backups.\nKind regards,\nSam Lee\niPad Air | iPadOS 15.1 | 256GB';
    expect(withoutSignature(letter)).toBe('Hello,\nMy iPad shows no backups.');
    expect(withoutSignature('restore is stuck at 50%\n\nSent from my iPhone')).toBe('restore is stuck at 50%');
    expect(withoutSignature('all restored now\nthanks')).toBe('all restored now\nthanks');
    expect(withoutSignature('thanks\nSam')).toBe('thanks\nSam');
    expect(withoutSignature('one line, thanks in advance')).toBe('one line, thanks in advance');
  });

  it('hears a question whether to wait or cancel as asking what the restore needs', () => {
    expect(ASKS_IF_NEEDED.test('should i just wait or cancel it')).toBe(true);
    expect(ASKS_IF_NEEDED.test('do i need to just start over?')).toBe(true);
    expect(ASKS_IF_NEEDED.test('cancel it')).toBe(false);
  });

  it('hears a question of what to do before starting, never the news that it is done', () => {
    expect(ASKS_WHAT_FIRST.test('k wiping it now. anything else i need to do before i start')).toBe(true);
    expect(ASKS_WHAT_FIRST.test('is there something i should check first?')).toBe(true);
    expect(ASKS_WHAT_FIRST.test('did everything you said first')).toBe(false);
  });

  it('finds the request for a person to be got, not only to be talked to', () => {
    expect(requestParts('wifis fine. honestly can i just get a real person, this is taking forever')).toContain('can i just get a real person');
  });
});

describe('afterWhenScene', () => {
  it('finds the clause a when-clause told without a comma sets the scene for, from its subject on', () => {
    expect(afterWhenScene('and when i go to restore from icloud my backup just isnt there??')).toBe('my backup just isnt there??');
    expect(afterWhenScene('iphone 8 says cannot restore backup when i pick my icloud backup in setup')).toBeUndefined();
    expect(afterWhenScene('every time i try to restore it says cannot restore backup')).toBe('it says cannot restore backup');
    expect(afterWhenScene('when will it finish')).toBeUndefined();
    expect(afterWhenScene('my backup is not there')).toBeUndefined();
  });
});

describe('the shape of a few more messages', () => {
  it('hears a restore told as running with a word between, as "is currently restoring"', () => {
    expect(RESTORE_RUNNING.test('my ipad is currently restoring the wrong backup')).toBe(true);
    expect(RESTORE_RUNNING.test('it is now restoring')).toBe(true);
    expect(RESTORE_RUNNING.test('i want to restore my ipad')).toBe(false);
    expect(RESTORE_RUNNING.test('the restore has paused')).toBe(true);
    expect(RESTORE_RUNNING.test('restore froze partway')).toBe(true);
    expect(RESTORE_RUNNING.test('the restore stopped and said it failed')).toBe(false);
  });

  it('hears a battery level told after its figure as the device off power, unless it is charging', () => {
    expect(UNPOWERED.test('its at 12% battery')).toBe(true);
    expect(UNPOWERED.test('at 12% battery but charging')).toBe(false);
  });

  it('names a one told apart by its age a backup in a question, and leaves an answer as it was', () => {
    expect(backupsNamed('how do i get the older one instead?')).toBe('how do i get the older backup instead?');
    expect(backupsNamed('can i use one of the other ones')).toBe('can i use one of the other backups');
    expect(backupsNamed('tried the older one, same error')).toBe('tried the older one, same error');
  });

  it('hears only asking which step comes next, after going back to the walk-through or not', () => {
    for (const text of ['ok back to it. what was next after wifi', 'so whats next', 'anyway what comes next after the restart?']) expect(ASKS_NEXT.test(text), text).toBe(true);
    for (const text of ['what is next to the settings icon', 'whats the next step if wifi fails and i am abroad']) expect(ASKS_NEXT.test(text), text).toBe(false);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import type { DialogChoice } from '../../src/content/types.js';
import { ChoiceReader } from '../../src/nlu/choiceReader.js';

const content = loadContent(path.join(import.meta.dirname, '..', '..'));
const reader = new ChoiceReader(content);

const choicesAt = (tree: string, node: string): readonly DialogChoice[] => content.trees.get(tree)?.nodes[node]?.choices ?? [];
const labelFor = (tree: string, node: string, text: string): string | undefined => {
  const reading = reader.read(choicesAt(tree, node), text);
  return reading ? choicesAt(tree, node)[reading.index]?.label : undefined;
};

describe('reading a typed answer in the context of the open question', () => {
  it('reads a working connection at the Wi-Fi step as "not the Wi-Fi", to go on', () => {
    expect(labelFor('cannot_restore', 'wifi', "connection's fine")).toBe('No, my Wi-Fi is fine');
  });

  it('reads a figure of free space by the words around it, the figure diluting nothing', () => {
    expect(labelFor('cannot_restore', 'storage', 'it says 50 gb available')).toBe("No, there's enough space");
    expect(labelFor('cannot_restore', 'storage', 'only 2 gb available')).toBe('My device is full');
    expect(reader.read(choicesAt('cannot_restore', 'storage'), 'it says 50 gb available')?.score).toBeGreaterThan(0.3);
    expect(reader.read(choicesAt('cannot_restore', 'storage'), 'a 64gb one with 40 something free')?.score).toBeGreaterThan(0.3);
  });

  it('ends a negation at the end of its clause: in "nothing on it, plenty of space" the space is not denied', () => {
    expect(labelFor('cannot_restore', 'storage', 'nothing on it, plenty of space')).toBe("No, there's enough space");
  });

  it('keeps a negation with the word it denies: a Wi-Fi that is not great is the Wi-Fi', () => {
    expect(labelFor('cannot_restore', 'wifi', "the wifi isn't great")).toBe('Wi-Fi is slow or down');
    expect(labelFor('cannot_restore', 'wifi_fix', 'it cannot restore')).toBe('No, still failing');
    expect(labelFor('cannot_restore', 'wifi_fix', 'cannot restore backup')).not.toBe("Yes, it's restoring now");
  });

  it('reads "no more popups" as the alerts stopped, its "no" no answer, and "no, more alerts" as still getting them', () => {
    expect(labelFor('connection_alerts', 'intro', 'ok that worked no more popups')).toBe("Yes, they've stopped");
    expect(labelFor('connection_alerts', 'intro', 'no, more alerts')).toBe('No, still getting them');
  });

  it('reads a yes beside the step\'s subject as agreeing with that answer, not as a fixed restore', () => {
    for (const text of ['yes connected to wifi obviously', 'on wifi yea', 'ya its on wifi', 'yes, it is on the wifi']) {
      expect(labelFor('cannot_restore', 'wifi', text)).toBe('No, my Wi-Fi is fine');
    }
    expect(labelFor('cannot_restore', 'wifi', 'not on wifi')).toBe('Wi-Fi is slow or down');
    expect(labelFor('cannot_restore', 'wifi', "the wifi's on")).toBe('No, my Wi-Fi is fine');
    expect(labelFor('cannot_restore', 'wifi', "there's no wifi here, only mobile data")).toBe('Wi-Fi is slow or down');
    expect(labelFor('cannot_restore', 'wifi', 'i dont think its the wifi')).toBe('No, my Wi-Fi is fine');
    expect(labelFor('slow_restore', 'intro', 'no, been at home all week')).toBe("No, I'm at home");
    expect(labelFor('cannot_restore', 'wifi', 'yes it is restoring now')).toBe("Yes, it's restoring now");
    expect(labelFor('cannot_restore', 'wifi', 'oh yes')).toBe("Yes, it's restoring now");
  });

  it('reads a Wi-Fi that was fine all along as the alerts still coming', () => {
    expect(labelFor('connection_alerts', 'intro', 'the wifi is fine tho!! this is so annoying')).toBe('No, still getting them');
    expect(labelFor('connection_alerts', 'intro', 'everything is fine now')).toBe("Yes, they've stopped");
  });

  it('reads a spotty Wi-Fi as slow or down', () => {
    expect(labelFor('cannot_restore', 'wifi', 'wifi is super spotty at her apartment')).toBe('Wi-Fi is slow or down');
  });

  it('reads yes and no in other words through the shared examples', () => {
    expect(labelFor('cannot_restore', 'restart', 'sorted, thank you')).toBe('Yes, it worked');
    expect(labelFor('cannot_restore', 'restart', 'switched it off and on but no change')).toBe('No, still failing');
  });

  it('reads where a customer is as an answer to the travelling question', () => {
    expect(labelFor('slow_restore', 'intro', 'visiting my sister in canada')).toBe("Yes, I'm travelling");
  });

  it('does not spell-correct a word the answers know into a topic word (fine is not find)', () => {
    const reading = reader.read(choicesAt('cannot_restore', 'wifi'), 'internet is totally fine');
    expect(reading?.nearestExample).toBe('internet is fine');
  });

  it('gives a side question or small talk next to nothing, so the router can answer it instead', () => {
    for (const text of ['what is the weather like', 'can i use my phone while it restores']) {
      expect(reader.read(choicesAt('cannot_restore', 'intro'), text)?.score ?? 0).toBeLessThan(0.2);
    }
  });

  it('reads a contraction typed without its apostrophe as the same answer as with it', () => {
    const choices = choicesAt('cannot_restore', 'restart');
    expect(reader.read(choices, 'restarted it, didnt make any difference')).toEqual(reader.read(choices, "restarted it, didn't make any difference"));
    expect(reader.read(choicesAt('slow_restore', 'check_basics'), 'the charger wasnt in')).toEqual(reader.read(choicesAt('slow_restore', 'check_basics'), "the charger wasn't in"));
  });

  it('reads colloquial ratings of the connection through the synonyms of fine and bad', () => {
    expect(labelFor('cannot_restore', 'wifi', "wifi's grand")).toBe('No, my Wi-Fi is fine');
    expect(labelFor('cannot_restore', 'wifi', 'the network here is rubbish')).toBe('Wi-Fi is slow or down');
  });

  it('reads a router, a connection that cuts out and "no idea" through their synonyms', () => {
    expect(labelFor('cannot_restore', 'wifi', 'my router is rock solid')).toBe('No, my Wi-Fi is fine');
    expect(labelFor('cannot_restore', 'wifi', 'the internet cuts out all the time')).toBe('Wi-Fi is slow or down');
    expect(labelFor('alert_screenshot', 'what_says', 'no clue honestly')).toBe('Something else');
  });

  it('reads a connection that drops, an alert that went away and a device almost full through their synonyms', () => {
    expect(labelFor('alert_screenshot', 'intro', 'no it went away too fast')).toBe("No, it's gone");
    expect(labelFor('cannot_restore', 'wifi', 'the connection drops all the time')).toBe('Wi-Fi is slow or down');
    expect(labelFor('cannot_restore', 'storage', "it's nearly full")).toBe('My device is full');
  });

  it('reads an alert that vanished as one that is gone', () => {
    expect(labelFor('alert_screenshot', 'intro', 'it vanished')).toBe("No, it's gone");
  });

  it('reads "either" as a filler and "neither" as a denial', () => {
    const plain = reader.read(choicesAt('cannot_restore', 'intro'), 'the older ones dont work');
    const withEither = reader.read(choicesAt('cannot_restore', 'intro'), 'the older ones dont work either');
    expect(withEither?.index).toBe(plain?.index);
    expect(withEither?.score).toBeCloseTo(plain?.score ?? 0, 5);
    expect(labelFor('cannot_restore', 'restart', 'neither of those worked')).toBe('No, still failing');
  });

  it('tells a message that only says the step was done, beside any one-word yes ("ye did that"), from one that says how it went', () => {
    const restart = choicesAt('cannot_restore', 'restart');
    for (const done of ['done that', 'yep done that', 'ok done', 'restarted it', 'yes i restarted it', 'did it', "I've done it now", 'tried it', 'all done', 'restarted twice', 'restarted it a few times', 'ye did that', 'yh done'])
      expect(reader.reportsDoing(restart, done), done).toBe(true);
    for (const said of ['yes', 'the restart fixed it', 'already done that', "did it, didn't help", 'restarted it and nothing changed', 'done, still failing', 'did it again', 'yes that did it', 'it did', 'no', "i'm so done with it"])
      expect(reader.reportsDoing(restart, said), said).toBe(false);
    const storage = choicesAt('cannot_restore', 'storage');
    for (const done of ['cleared space', 'freed up some space', 'ok deleted some'])
      expect(reader.reportsDoing(storage, done), done).toBe(true);
    for (const said of ['cleared space and it works now', 'freed up space, still the same error'])
      expect(reader.reportsDoing(storage, said), said).toBe(false);
    const wifi = choicesAt('cannot_restore', 'wifi');
    for (const done of ['yep both', 'yes to both', 'did both', 'yes all of that'])
      expect(reader.reportsDoing(wifi, done), done).toBe(true);
    for (const said of ['both fine', 'yes both work now', 'all good'])
      expect(reader.reportsDoing(wifi, said), said).toBe(false);
  });

  it('hears "right" and "correct" before a noun as describing it, not as a yes', () => {
    const intro = choicesAt('cannot_restore', 'intro');
    for (const said of ['right backup', 'its the right id and right backup', 'correct apple id'])
      expect(reader.read(intro, said)?.plain ?? false, said).toBe(false);
    for (const yes of ["that's right", 'right, that worked', 'right thanks', 'correct'])
      expect(labelFor('cannot_restore', 'intro', yes), yes).toBe('Yes, that worked');
  });

  it('tells a bare yes, acknowledgement or no, courtesies beside it, from one that says how something went', () => {
    for (const yes of ['yes', 'Yeah!', 'yes please', 'ok', 'okay cool', 'sure', 'got it', 'yep go ahead', '👍'])
      expect(reader.bareAnswer(yes), yes).toBe('yes');
    for (const no of ['no', 'nope', 'Nooo thanks', "no thanks, I'm good", 'nah thats all', 'no thank you', 'n', '👎'])
      expect(reader.bareAnswer(no), no).toBe('no');
    for (const said of ['no luck', 'no good', 'no it failed again', 'no backups', 'yes that worked', 'ok thanks', 'ok restart it', 'not working', 'how long'])
      expect(reader.bareAnswer(said), said).toBeUndefined();
  });

  it('says when the only words a message shares with the step are a negation and its modal ("wont open"), not when the step\'s own words follow it', () => {
    expect(reader.read(choicesAt('connection_alerts', 'intro'), 'wont open')?.onlyNegation).toBe(true);
    expect(reader.read(choicesAt('connection_alerts', 'intro'), "it still won't finish")?.onlyNegation).toBe(false);
    expect(reader.read(choicesAt('cannot_restore', 'intro'), 'all of them fail')?.onlyNegation).toBe(false);
  });

  it('tells an acknowledgement with at most thanks after it from a yes and from words of an answer', () => {
    for (const said of ['ok', 'ok thanks', 'ok thx', 'Okay, cheers!', 'k will do', 'alright got it', 'cool thank you', 'got it', 'yes got it', 'yeah i got it thanks', 'yep will do', 'makes sense ok', 'ah that makes sense'])
      expect(reader.acknowledges(said), said).toBe(true);
    for (const said of ['yes', 'yeah thanks', 'fine', 'right', 'ok the wifi is fine', 'ok it worked', 'ok no luck', 'thanks', 'yes it stopped', 'yes i got the screenshot', 'that makes no sense'])
      expect(reader.acknowledges(said), said).toBe(false);
  });

  it('reads the question\'s verb echoed as a yes ("it did"), and with its "not" as a no', () => {
    expect(labelFor('cannot_restore', 'restart', 'it did!')).toBe('Yes, it worked');
    expect(labelFor('cannot_restore', 'restart', "it didn't")).toBe('No, still failing');
  });

  it('marks an answer that opens with a plain yes or no of the same meaning, and only then', () => {
    const opens = (tree: string, node: string, text: string) => reader.read(choicesAt(tree, node), text)?.opensAlike;
    expect(opens('cannot_restore', 'wifi', 'nope, the broadband in our flat is really quick')).toBe(true);
    expect(opens('slow_restore', 'check_basics', 'yeah it sat on the charger next to the router all night')).toBe(true);
    // "No" belongs to the noun after it, or the answer chosen means the other way.
    expect(opens('cannot_restore', 'storage', 'no room left on the phone')).toBe(false);
    expect(opens('connection_alerts', 'intro', 'no more alerts since then')).toBe(false);
    expect(opens('cannot_restore', 'wifi', 'the broadband in our flat is really quick')).toBe(false);
  });

  it('reads a full device at the storage step as its own answer, and plenty of room as the other', () => {
    expect(labelFor('cannot_restore', 'storage', 'there is hardly any room left, it is basically full')).toBe('My device is full');
    expect(labelFor('cannot_restore', 'storage', 'tons of space on it')).toBe("No, there's enough space");
    // "Almost" and "nearly" say how much, not which: "full" and "free" decide.
    expect(labelFor('cannot_restore', 'storage', 'my iphone is almost full')).toBe('My device is full');
    expect(labelFor('cannot_restore', 'storage', 'nearly 80 gb free')).toBe("No, there's enough space");
    // The yes only agrees with the particular answer after it; it is no "yes, that fixed it".
    expect(labelFor('cannot_restore', 'storage', 'yes, it is full to the brim')).toBe('My device is full');
    expect(labelFor('cannot_restore', 'storage', 'yes, clearing space fixed it')).toBe('Yes, that was it');
  });

  it('reads a recent backup as one the device finished, and one a year old as none in months', () => {
    expect(labelFor('no_backups', 'intro', 'yep, it did one last week')).toBe('Yes, it has');
    expect(labelFor('no_backups', 'intro', 'the last backup was over a year ago')).toBe('No backup in months');
    expect(labelFor('no_backups', 'intro', 'honestly it has not backed up in forever')).toBe('No backup in months');
  });

  it('reads a hedge ("sort of", "kind of") as no answer, never as "sorted"', () => {
    expect(labelFor('cannot_restore', 'restart', 'sort of')).toBeUndefined();
    expect(labelFor('cannot_restore', 'restart', 'kinda')).toBeUndefined();
    expect(labelFor('cannot_restore', 'restart', 'sorted')).toBe('Yes, it worked');
  });

  it('reads not knowing as no answer, unless not knowing is one of the answers, and never denies what follows it', () => {
    expect(labelFor('cannot_restore', 'wifi', "i don't know what wifi is")).toBeUndefined();
    expect(labelFor('cannot_restore', 'wifi', 'not sure if the wifi is fine')).toBeUndefined();
    expect(labelFor('cannot_restore', 'restart', 'no idea if it worked')).toBeUndefined();
    expect(labelFor('no_backups', 'intro', "i don't know")).toBe('No / not sure');
  });

  it('reads several Apple IDs "over the years" as a different account, not as no backup in months', () => {
    expect(labelFor('no_backups', 'intro', 'gone through a few apple ids over the years')).toBe('Different iCloud account');
  });

  it('reads past a doubt said in a clause of its own ("hmm dunno maybe"), never past a doubt about something', () => {
    expect(labelFor('cannot_restore', 'restart', 'hmm dunno maybe. it worked this time')).toBe('Yes, it worked');
    expect(labelFor('cannot_restore', 'wifi', 'not sure if the wifi is fine. its the one at home')).toBeUndefined();
    expect(labelFor('connection_alerts', 'intro', 'i dont remember what it said really, it went away too fast')).toBeUndefined();
  });

  it('tells a question put in the open step\'s own words from one on anything else', () => {
    const step = content.trees.get('cannot_restore')?.nodes.intro?.say ?? '';
    expect(reader.asksAbout(step, 'where is that setting on iOS 7?')).toBe(true);
    expect(reader.asksAbout(step, 'where is manage storage on newer ios')).toBe(true);
    expect(reader.asksAbout(step, 'how long does a restore take?')).toBe(false);
    expect(reader.asksAbout(step, 'what about my photos?')).toBe(false);
    expect(reader.asksAbout(step, 'why?')).toBe(false);
  });

  it('tells a statement of only what the step names, its device and model aside, from one that adds anything', () => {
    const step = content.trees.get('alert_screenshot')?.nodes.intro?.say ?? '';
    expect(reader.tellsAbout(step, 'its an iphone 8 with the home button')).toBe(true);
    expect(reader.tellsAbout(step, 'the home button is broken')).toBe(false);
    expect(reader.tellsAbout(step, 'its an iphone 8')).toBe(false);
  });

  it('quotes the lines of an earlier answer a follow-up asks about, and none for a question on anything else', () => {
    const answer = 'Go to **Settings > iCloud > Backup**.\n\n- The setting is dimmed while it runs.\n\nIt can take hours.';
    expect(reader.linesAsked(answer, 'where in settings do i find that exactly')).toEqual(['Go to **Settings > iCloud > Backup**.', '- The setting is dimmed while it runs.']);
    expect(reader.linesAsked(answer, 'how do i pick the right backup next time?')).toEqual([]);
  });

  it('picks the lines of an earlier answer that fit a case told in its words, a denied "on" being off, and none when no line stands out', () => {
    const answer = 'It depends on the setting:\n\n- **Photo sync turned on:** photos stay online.\n- **Photo sync turned off:** photos are in the backup.';
    expect(reader.linesTold(answer, "i don't have photo sync on")).toEqual(['- **Photo sync turned off:** photos are in the backup.']);
    expect(reader.linesTold(answer, 'photo sync was on')).toEqual(['- **Photo sync turned on:** photos stay online.', '- **Photo sync turned off:** photos are in the backup.']);
    expect(reader.linesTold(answer, 'my photos')).toEqual([]);
  });

  it('denies what follows the verb after "I don\'t think", not the subject before it', () => {
    expect(labelFor('cannot_restore', 'wifi', "i don't think the wifi is very good here")).toBe('Wi-Fi is slow or down');
    expect(labelFor('cannot_restore', 'wifi', 'I dont think the wifi is working')).toBe('Wi-Fi is slow or down');
    expect(labelFor('cannot_restore', 'wifi', "i don't think it's the wifi")).toBe('No, my Wi-Fi is fine');
    expect(labelFor('cannot_restore', 'wifi', "i don't think so, the wifi is fine")).toBe('No, my Wi-Fi is fine');
  });

  it('reads "no" before the subject as denying its verb ("no older ones work"), not after "no idea" or "no problem"', () => {
    expect(labelFor('cannot_restore', 'intro', 'no older backups work')).toBe('No, still failing');
    expect(labelFor('cannot_restore', 'intro', 'no other ones worked')).toBe('No, still failing');
    expect(labelFor('cannot_restore', 'intro', 'no problem, the older one works')).toBe('Yes, that worked');
    expect(reader.read(choicesAt('cannot_restore', 'update'), 'it says 16.1 is available')?.score ?? 0).toBeLessThan(0.3);
  });

  it('reads past hedges and figures no example knows, and a hedge never separates like answers', () => {
    expect(labelFor('cannot_restore', 'storage', '128gb and its basically empty')).toBe("No, there's enough space");
    const reading = reader.read(choicesAt('cannot_restore', 'wifi'), "wifi isn't working");
    expect(reading && choicesAt('cannot_restore', 'wifi')[reading.index]?.label).toBe('Wi-Fi is slow or down');
    expect(reading?.margin).toBeGreaterThan(0.08);
  });

  it('reads a yes or no typed with its letters drawn out or one short ("nooo", "nop", "yesss")', () => {
    for (const no of ['nooo', 'nop', 'noooooo']) expect(labelFor('cannot_restore', 'intro', no), no).toBe('No, still failing');
    expect(labelFor('cannot_restore', 'intro', 'yesss')).toBe('Yes, that worked');
  });

  it('reads a bare "y" or "n" as the one choice that means yes or no', () => {
    expect(labelFor('slow_restore', 'intro', 'n')).toBe("No, I'm at home");
    expect(labelFor('cannot_restore', 'restart', 'Y!')).toBe('Yes, it worked');
  });

  it('reads nothing into a message with no word it knows', () => {
    expect(reader.read(choicesAt('cannot_restore', 'intro'), 'zxqv blorp')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { ElapsedCheck } from '../../src/content/types.js';
import { asksTimeForSize, elapsedAnswer, rateOnTheLine, tellsElapsed, tellsRunningFor, tellsRunningLong, tellsTimeOnly } from '../../src/bot/restoreEstimate.js';
import type { Intent } from '../../src/content/types.js';

const check: ElapsedCheck = { hoursPerGigabyte: { from: 1, to: 4 }, within: 'Within', beyond: 'Longer' };
const phrase = '{size} GB: {low} to {high} hours.';
const labelFor = (said: string, earlier = '') => elapsedAnswer(check, said, earlier, phrase)?.label;

describe('a time the restore has run, against its size', () => {
  it('tells a message with both a time and a size from one with either alone', () => {
    expect(tellsElapsed('going for 2 hrs now, the backup is 9gb')).toBe(true);
    expect(tellsElapsed('going for 2 hrs now')).toBe(false);
    expect(tellsElapsed('the backup is 9gb')).toBe(false);
    expect(tellsElapsed('it says 4 hours per gigabyte')).toBe(false);
  });

  it('tells how long something has been running from a time that is past or asked', () => {
    for (const running of ['its been 15 hrs already', 'been going for like 2 days', 'restoring for 6 hours now', 'its been 20 hrs already. the backup was made at home']) expect(tellsRunningFor(running), running).toBe(true);
    for (const other of ['i restored it 3 days ago', 'how many hours will it take', 'my phone has been set up for 2 days', 'it says 4 hours per gigabyte']) expect(tellsRunningFor(other), other).toBe(false);
    for (const long of ['its been like that since yesterday', 'been stuck all night', 'its been going forever', 'restoring for 6 hours now']) expect(tellsRunningLong(long), long).toBe(true);
    for (const other of ['i backed it up yesterday', 'the backup from monday', 'how long will it take']) expect(tellsRunningLong(other), other).toBe(false);
    expect(tellsTimeOnly('its been 6 hrs lol')).toBe(true);
    expect(tellsTimeOnly('6 hrs for 8gb')).toBe(false);
  });

  it('tells a question of how long beside a size from a size told or a time asked alone', () => {
    expect(asksTimeForSize('roughly how long will it take, the backup is 3gb')).toBe(true);
    expect(asksTimeForSize('how many hours for 12 gigs')).toBe(true);
    expect(asksTimeForSize('whats the longest it could take? mine is 7gb')).toBe(true);
    expect(asksTimeForSize('eta for 9gb?')).toBe(true);
    expect(asksTimeForSize('ballpark estimate for a 30 gb backup')).toBe(true);
    expect(asksTimeForSize('whats the longest backup in the list, mine is 7gb')).toBe(false);
    expect(asksTimeForSize('the backup is 3gb')).toBe(false);
    expect(asksTimeForSize('how long will it take?')).toBe(false);
    expect(asksTimeForSize('does the 1-4 hrs per gb really hold for my 30gb backup')).toBe(true);
    expect(asksTimeForSize('4 hours a gig, ok')).toBe(false);
  });

  it("says the topic's rate holds on a fast line, and nothing for a topic without a rate", () => {
    const rated = { id: 'slow', hoursPerGigabyte: { from: 1, to: 4 } } as unknown as Intent;
    expect(rateOnTheLine(rated, 'Even fast: {from} to {to} hours per GB.')).toEqual({ text: 'Even fast: 1 to 4 hours per GB.' });
    expect(rateOnTheLine({ id: 'wifi' } as unknown as Intent, '{from}')).toBeUndefined();
  });

  it('is within the estimate up to its slow end, and beyond it after, with the estimate that decided', () => {
    expect(elapsedAnswer(check, 'its been like 10 hours for 3gb', '', phrase)).toEqual({ label: 'Within', estimate: { text: '3 GB: 3 to 12 hours.' } });
    expect(labelFor('13 hours and its only 3 GB')).toBe('Longer');
    expect(labelFor('about 5 hrs, backup is 20 gigs')).toBe('Within');
  });

  it('reads the hours between two times of day, the later one past noon or midnight when it must be', () => {
    expect(labelFor('I started it at 9 this morning and it is now 4 in the afternoon, the backup is 3 GB')).toBe('Within');
    expect(labelFor('started at 11pm last night, its 7am now, 1gb')).toBe('Longer');
    expect(labelFor('began at 8:30, its nearly 11 now, backup is 2gb')).toBe('Within');
    expect(labelFor('started at 10, its now 3, 1gb')).toBe('Longer');
    expect(labelFor('started at 13:00, its 3pm now, 1gb')).toBe('Within');
    expect(labelFor('started at 22:00 and its now 3, 1gb')).toBe('Longer');
    expect(tellsElapsed('started at 25:00, its now 3, 1gb')).toBe(false);
    expect(tellsElapsed('started at 14pm, its now 3, 1gb')).toBe(false);
    expect(tellsElapsed('its 3gb and started at 80%')).toBe(false);
    expect(tellsElapsed('started at 9 this morning, 5gb')).toBe(false);
  });

  it('reads days, weeks, minutes and times in words, added up', () => {
    expect(labelFor('2 days for 10gb')).toBe('Longer');
    expect(labelFor('a day and 5 hours, 8gb')).toBe('Within');
    expect(labelFor('45 mins for 1gb')).toBe('Within');
    expect(labelFor('a week now, 30gb')).toBe('Longer');
  });

  it('takes the size from the words that began the walk-through when the message has none', () => {
    expect(labelFor('running for 2 days', 'my 2gb restore is taking forever')).toBe('Longer');
  });

  it('never takes a rate quoted back for the time it has run, and gives nothing without both a time and a size', () => {
    expect(labelFor('the estimate says 4 hours per gb and mine is 10gb, its been 3 days')).toBe('Longer');
    expect(labelFor('it says 4 hours a gig, mine is 10gb')).toBeUndefined();
    expect(labelFor('its been 10 hours')).toBeUndefined();
    expect(labelFor('its 64gb')).toBeUndefined();
  });
});

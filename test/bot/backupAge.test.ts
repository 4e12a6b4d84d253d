import { describe, expect, it } from 'vitest';
import { ageAnswer, daysAgo } from '../../src/bot/backupAge.js';
import type { DialogChoice } from '../../src/content/types.js';

const now = new Date(2026, 11, 5);

describe('how long ago a customer says something last happened', () => {
  it('reads a count of units ago, a span with nothing since, and "last month"', () => {
    expect(daysAgo('my old phone broke like 8 months ago', now)).toBe(240);
    expect(daysAgo('havent backed up my ipad in like a year', now)).toBe(365);
    expect(daysAgo('it last backed up a few weeks back', now)).toBe(21);
    expect(daysAgo('i watched it do it last month', now)).toBe(30);
    expect(daysAgo('it backed up yesterday', now)).toBe(0);
  });

  it('reads the units as typed short ("2 yrs", "3 mos", "a few wks ago")', () => {
    expect(daysAgo('hasnt backed up since like 2 yrs', now)).toBe(730);
    expect(daysAgo('the last one was 3 mos ago', now)).toBe(90);
    expect(daysAgo('it did one a few wks ago', now)).toBe(21);
  });

  it('reads a month without a year as the latest one of that name, to its last day', () => {
    expect(daysAgo('her ipad hasnt backed up since march', now)).toBe(249);
    expect(daysAgo('it last backed up in november', now)).toBe(5);
    expect(daysAgo('not since december', now)).toBe(0);
    expect(daysAgo('the last one was back in march 2024', now)).toBe(704);
  });

  it('reads a year as the last day of it, and a year to come as nothing told', () => {
    expect(daysAgo('my old iphone died back in 2022', now)).toBe(1435);
    expect(daysAgo('not since 2030', now)).toBeUndefined();
  });

  it('tells no time in words without one', () => {
    expect(daysAgo('theres no backups', now)).toBeUndefined();
    expect(daysAgo('it hasnt backed up in ages', now)).toBeUndefined();
  });
});

describe('the choice a time told answers', () => {
  const choices = [{ label: 'Recent' }, { label: 'Old' }] as unknown as DialogChoice[];
  const check = { days: 180, within: 'Recent', beyond: 'Old' };

  it('is the within choice up to the days and the beyond one after', () => {
    expect(ageAnswer(check, choices, 'it backed up 3 weeks ago', now)).toBe(0);
    expect(ageAnswer(check, choices, 'not since 2022', now)).toBe(1);
  });

  it('is none for a question or a message that tells no time', () => {
    expect(ageAnswer(check, choices, 'does a backup from 8 months ago still count?', now)).toBeUndefined();
    expect(ageAnswer(check, choices, 'no idea', now)).toBeUndefined();
  });
});

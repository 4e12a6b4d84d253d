import { describe, expect, it } from 'vitest';
import { beyondReach } from '../../src/bot/beyondReach.js';

describe('what a customer asks that the bot cannot do', () => {
  it.each([
    ['restore keeps asking me for an apple id password i dont remember, can u reset it for me', false, 'restore keeps asking me for an apple id password i dont remember'],
    ['can u remotely restore it for me im not good with this stuff', false, ''],
    ['pls fix it for me, also does it delete my photos?', false, 'also does it delete my photos?'],
    ['could you restore from the older backup for me', false, ''],
    ['can you reset my apple id password?', false, ''],
    ['can you sign in to my icloud. the list is empty', false, 'the list is empty'],
    ['just do it for me', false, ''],
    ['can u log into my icloud and see whats wrong with the backup, ill give u my password', true, ''],
    ['do you need my apple id password', true, ''],
    ['my password is Hunter2! still wont work', true, 'still wont work'],
    ["here's my login: jane / tr0ub4dor", true, ''],
    ['so can you get them back from apples servers', false, ''],
    ['is there a way, could u check on their side', false, 'is there a way'],
  ])('hears in %j a request to act on the device or account (or a password given or offered: %s), and keeps the rest', (typed, password, rest) => {
    expect(beyondReach(typed)).toMatchObject({ password, rest });
  });

  it('keeps the clauses that ask, to tell whether what was asked is inside the bot\'s scope', () => {
    expect(beyondReach('can you unlock the activation lock for me. it was my sisters')?.asked).toBe('can you unlock the activation lock for me.');
    expect(beyondReach('pls fix it for me, also does it delete my photos?')?.asked).toBe('pls fix it for me,');
  });

  it.each([
    'can you help me restore it',
    'can you tell me how to reset it',
    'can you explain that for me',
    'can you break it down for me',
    'can you walk me through it',
    'can u put me through to someone',
    'can you check my wifi is the problem',
    'it says my password is wrong',
    'how do i see my backups',
    'i forgot my password',
  ])('leaves %j to the rest of the bot', (typed) => {
    expect(beyondReach(typed)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { beyondReach } from '../../src/bot/beyondReach.js';

describe('what a customer asks that the bot cannot do', () => {
  it.each([
    ['restore keeps asking me for an apple id password i dont remember, can u reset it for me', 'restore keeps asking me for an apple id password i dont remember'],
    ['can u remotely restore it for me im not good with this stuff', ''],
    ['pls fix it for me, also does it delete my photos?', 'also does it delete my photos?'],
    ['could you restore from the older backup for me', ''],
    ['can you reset my apple id password?', ''],
    ['can you sign in to my icloud. the list is empty', 'the list is empty'],
    ['just do it for me', ''],
  ])('hears a request to act on the device or account in %j, and keeps the rest', (typed, rest) => {
    expect(beyondReach(typed)).toEqual({ password: false, rest });
  });

  it.each([
    ['can u log into my icloud and see whats wrong with the backup, ill give u my password', ''],
    ['do you need my apple id password', ''],
    ['my password is Hunter2! still wont work', 'still wont work'],
    ["here's my login: jane / tr0ub4dor", ''],
  ])('hears a password given or offered in %j', (typed, rest) => {
    expect(beyondReach(typed)).toEqual({ password: true, rest });
  });

  it.each([
    'can you help me restore it',
    'can you tell me how to reset it',
    'can you explain that for me',
    'can you break it down for me',
    'can you walk me through it',
    'can u put me through to someone',
    'it says my password is wrong',
    'how do i see my backups',
    'i forgot my password',
  ])('leaves %j to the rest of the bot', (typed) => {
    expect(beyondReach(typed)).toBeUndefined();
  });
});

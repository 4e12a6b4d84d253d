import { describe, expect, it } from 'vitest';
import { createRedactor, keepAsTyped, redactorFor } from '../../src/privacy/redact.js';

const redact = createRedactor({ phoneCountry: 'US' });

describe('redaction of personal data', () => {
  it.each([
    ['my apple id is jane.doe+icloud@example.co.uk', 'my apple id is [email]'],
    ['call me on (415) 555-2671 after 5', 'call me on [phone] after 5'],
    ['or 415-555-2671', 'or [phone]'],
    ['my UK mobile is +44 20 7946 0958', 'my UK mobile is [phone]'],
    ['mon numéro: +33 6 12 34 56 78', 'mon numéro: [phone]'],
    ['paid with 4111 1111 1111 1111, exp 12/27', 'paid with [card], exp 12/27'],
    ['amex 3782-822463-10005', 'amex [card]'],
    ['IMEI 35 209900 176148 1', 'IMEI [imei]'],
    ['the imei is 352099001761481', 'the imei is [imei]'],
    ['Serial number F2LXK1ABHG7F', 'Serial number [serial]'],
    ['serial: f2lxk1abhg7f (lower case)', 'serial: [serial] (lower case)'],
    ['it shows C02XK1ABJG5H on the box', 'it shows [serial] on the box'],
    ['router at 192.168.1.20', 'router at [ip]'],
    ['order number 123456789', 'order number [number]'],
    ['French landline 01 23 45 67 89', 'French landline [number]'],
    ['my apple id password is Hunter2! can you check', 'my apple id password is [password]! can you check'],
    ['pw: sunshine', 'pw: [password]'],
    ['the passcode is 482913.', 'the passcode is [password].'],
    ['try password "sunshine" then', 'try password "[password]" then'],
    ['Password=correctHorse', 'Password=[password]'],
  ])('masks %j', (typed, kept) => {
    expect(redact(typed)).toBe(kept);
  });

  it.each([
    'iOS 17.2.1 on an iPhone 15 Pro',
    'it says 64 GB of 128 GB used',
    'the article said 1 to 4 hours, it has been 6',
    'error 4013 after 2 hours',
    'backup from 2024-01-15 12:30 will not restore',
    'it stopped on 15/01/2024 at 10:30',
    'Settings > General > Transfer or Reset iPhone > Erase All Content and Settings',
    'model A2403, iPad (9th generation)',
    'I have 256GB and 3.5 GB free',
    'serial number unavailable in settings',
    'iOS 16.4.1 (a) on my iPhone 12',
    'it says my password is wrong.',
    'the passcode is not working',
    'restore keeps asking for 2 passwords',
    'forgot my password, can you reset it',
  ])('keeps what identifies nobody: %j', (typed) => {
    expect(redact(typed)).toBe(typed);
  });

  it('masks every piece of a message that has several, and masking again changes nothing', () => {
    const once = redact('mail a@b.io, phone (415) 555-2671, card 4111111111111111, imei 352099001761481');
    expect(once).toBe('mail [email], phone [phone], card [card], imei [imei]');
    expect(redact(once)).toBe(once);
  });

  it('reads a phone number without its country code as the configured country does', () => {
    expect(createRedactor({ phoneCountry: 'GB' })('ring 020 7946 0958')).toBe('ring [phone]');
    expect(createRedactor({ phoneCountry: 'US' })('ring 020 7946 0958')).toBe('ring [number]');
  });

  it('refuses a country it does not know, naming the variable', () => {
    expect(() => createRedactor({ phoneCountry: 'XX' })).toThrow(/REDACT_PHONE_COUNTRY/);
  });

  it('keeps text as typed when REDACT_PII is false', () => {
    expect(redactorFor({ REDACT_PII: false, REDACT_PHONE_COUNTRY: 'US' })).toBe(keepAsTyped);
    expect(redactorFor({ REDACT_PII: true, REDACT_PHONE_COUNTRY: 'US' })('a@b.io')).toBe('[email]');
  });
});

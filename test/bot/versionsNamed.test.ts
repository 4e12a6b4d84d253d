import { describe, expect, it } from 'vitest';
import { linesForVersionTold, versionsCompared, versionsInWords, versionsNamed } from '../../src/bot/versionsNamed.js';

describe('a bare iOS version named as one', () => {
  it('names the versions a device is told to be on, run or updated to', () => {
    expect(versionsNamed('this one is on 16.3 and the old one was on 18')).toBe('this one is on ios 16.3 and the old one was on ios 18');
    expect(versionsNamed('its on 17, is that ok')).toBe('its on ios 17, is that ok');
    expect(versionsNamed('updated to 17.1 this morning')).toBe('updated to ios 17.1 this morning');
    expect(versionsNamed('the backup came from my iphone 12 pro on 17.4. it fails')).toBe('the backup came from my iphone 12 pro on ios 17.4. it fails');
  });

  it('leaves numbers that are no version alone', () => {
    for (const text of ['its on 80%', 'stuck on 40 percent', 'was on 5g all day', 'it was on 12 hours ago', 'battery is on 20', 'phone is on ios 16', 'its on 3', 'my iphone 11 on 5g', 'ipad on 80%']) {
      expect(versionsNamed(text)).toBe(text);
    }
  });
});

describe('the lines of a text for the iOS version told', () => {
  const answer = 'See them in Manage Storage.\n\n- On iOS 7: Storage & Backup.\n- On iOS 8: photos stay in iCloud.';

  it('gives the lines naming the version told, not the others', () => {
    expect(linesForVersionTold(answer, "i'm on ios 7 tho")).toEqual(['- On iOS 7: Storage & Backup.']);
    expect(linesForVersionTold(answer, 'the phone is on 8.1')).toEqual(['- On iOS 8: photos stay in iCloud.']);
  });

  it('gives nothing when no version is told, or none of the lines is for it', () => {
    expect(linesForVersionTold(answer, 'where is manage storage')).toEqual([]);
    expect(linesForVersionTold(answer, 'im on ios 17')).toEqual([]);
    expect(linesForVersionTold(answer, 'ios 70')).toEqual([]);
  });
});

describe('the iOS versions told of the backup and of the device, against the version rule', () => {
  const rule = 'The device must run the same or a later version of iOS than the one that made the backup.';

  it("tells whether the device's version is earlier than the backup's, whichever comes first", () => {
    expect(versionsCompared(rule, 'the backup was made on ios 9.2 and the phone shows 9.0.1')).toEqual({ backup: '9.2', device: '9.0.1', behind: true });
    expect(versionsCompared(rule, 'my ipad is on 16.4 but the old phone was on 16.4.1')).toEqual({ backup: '16.4.1', device: '16.4', behind: true });
    expect(versionsCompared(rule, 'mine runs ios 17, backup is from 16.5')).toEqual({ backup: '16.5', device: '17', behind: false });
  });

  it('takes the device the question named as the backup\'s maker for the backup\'s side', () => {
    expect(versionsCompared(rule, 'the ipad is on 9.1 and the iphone on 9.0', 'can i put a backup made on my ipad onto my iphone?')).toEqual({ backup: '9.1', device: '9.0', behind: true });
    expect(versionsCompared(rule, 'the ipad is on 9.1 and the iphone on 9.0')).toBeUndefined();
  });

  it('compares nothing without the rule beside it, or without one version on each side', () => {
    expect(versionsCompared('Keep it on Wi-Fi.', 'the backup was made on ios 9.2 and the phone shows 9.0.1')).toBeUndefined();
    expect(versionsCompared(rule, 'the phone shows 9.0.1')).toBeUndefined();
    expect(versionsCompared(rule, 'the backup is 9.5 gb and the phone has 12.5 gb free')).toBeUndefined();
  });

  it("says what the rule means for the two versions in the content's words", () => {
    const phrases = { versionBehind: 'update {device} to {backup}', versionMet: '{device} fits {backup}' };
    expect(versionsInWords({ backup: '9.2', device: '9.0.1', behind: true }, phrases)).toBe('update 9.0.1 to 9.2');
    expect(versionsInWords({ backup: '16.5', device: '17', behind: false }, phrases)).toBe('17 fits 16.5');
  });
});

import { describe, expect, it } from 'vitest';
import { linesForVersionTold, versionsNamed } from '../../src/bot/versionsNamed.js';

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

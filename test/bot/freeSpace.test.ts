import { describe, expect, it } from 'vitest';
import { backupFits, freeShare, smallFreeAlone, spaceAgainstBackup, spaceInWords, withFigures, withSpaceInWords } from '../../src/bot/freeSpace.js';

describe('free space told as figures', () => {
  it('puts free space told against the backup into words inside the message, and leaves any other message as it was', () => {
    expect(withSpaceInWords('wifi good. storage 12gb free, backup is 9gb')).toBe('wifi good. storage i have the space for it');
    expect(withSpaceInWords('like 5 gigs free and the backup is 11')).toBe('like not enough room for the backup');
    expect(withSpaceInWords('wifi good. 12gb free')).toBe('wifi good. 12gb free');
    expect(spaceInWords('ipod has 100+ gb free, its the 128 one')).toBe('plenty of free space');
  });

  it('gives the free space and the backup size told together, and whether the backup fits', () => {
    expect(spaceAgainstBackup('it says 900mb available and the backup is 6 gb')).toEqual({ free: 0.9, size: 6, fits: false });
    expect(spaceAgainstBackup('12gb free, backup is 12')).toEqual({ free: 12, size: 12, fits: true });
    expect(spaceAgainstBackup('30 gb free, backup is just 12')).toEqual({ free: 30, size: 12, fits: true });
    expect(spaceAgainstBackup('12gb free')).toBeUndefined();
  });

  it('puts the figures told into a phrase to a tenth of a gigabyte, with the shortfall', () => {
    expect(withFigures('{free} of {size}, {more} short', { free: 0.9, size: 6, fits: false })).toBe('0.9 of 6, 5.1 short');
  });

  it('reads free space told again after taking the first figure back in its place', () => {
    expect(spaceInWords('3gb free and the backup is 12gb, no wait sorry it says 30gb free')).toBe('i have the space for it');
    expect(smallFreeAlone('4gb free. oh no sorry, its 40gb free')).toBeUndefined();
    expect(smallFreeAlone('40gb free. oh no sorry, its 4gb free')).toBe(4);
  });

  it('reads the share free from the amount and the capacity, whichever comes first', () => {
    expect(freeShare('says 2.1 gb available of 128 lol')).toBeCloseTo(2.1 / 128);
    expect(freeShare('12 of 64gb free')).toBeCloseTo(12 / 64);
    expect(freeShare('120 out of 128 gb used')).toBeCloseTo(8 / 128);
    expect(freeShare('100gb left out of 128')).toBeCloseTo(100 / 128);
    expect(freeShare('idk like 5 gigs free lol its a 64')).toBeCloseTo(5 / 64);
    expect(freeShare("it's a 12 hour wait, 5gb free")).toBeUndefined();
  });

  it('gives no share without both figures, or with an amount larger than the capacity', () => {
    expect(freeShare('2gb free')).toBeUndefined();
    expect(freeShare('its a 64gb ipad')).toBeUndefined();
    expect(freeShare('200 gb free of 128')).toBeUndefined();
  });

  it('tells whether the backup fits from the free space and the backup size told together', () => {
    expect(backupFits('like 5 gigs free and the backup is 11 i think')).toBe(false);
    expect(backupFits("30gb left, the backup's about 12gb")).toBe(true);
    expect(backupFits('backup size 40 gb, only 8.5 gb free')).toBe(false);
    expect(backupFits('5 gigs free')).toBeUndefined();
    expect(backupFits('the backup is 11gb')).toBeUndefined();
    expect(spaceInWords('like 5 gigs free and the backup is 11 i think')).toBe('not enough room for the backup');
  });

  it('puts a nearly full or a roomy device into the answers words, and leaves the middle alone', () => {
    expect(spaceInWords('says 2.1 gb available of 128 lol')).toBe("it's almost full");
    expect(spaceInWords('90gb free out of 128')).toBe('plenty of free space');
    expect(spaceInWords('30 of 128gb free')).toBeUndefined();
  });

  it('reads megabytes as part of a gigabyte, and under a tenth of the smallest device (1.6 GB) free as almost full on any device', () => {
    expect(freeShare('like 900mb free out of 16gb')).toBeCloseTo(0.9 / 16);
    expect(spaceInWords('only 200mb left')).toBe("it's almost full");
    expect(spaceInWords('1.2 gb free haha')).toBe("it's almost full");
    expect(spaceInWords('1500mb free')).toBe("it's almost full");
    expect(backupFits('500 mb free and the backup is 3gb')).toBe(false);
    expect(spaceInWords('2gb free')).toBeUndefined();
    expect(spaceInWords('1.2 free')).toBeUndefined();
  });

  it('finds a small free space told alone, which says nothing of whether the backup fits', () => {
    expect(smallFreeAlone('got about 3gb free')).toBe(3);
    expect(smallFreeAlone('only 900mb left')).toBeUndefined();
    expect(smallFreeAlone('40 gb free')).toBeUndefined();
    expect(smallFreeAlone('3gb free and the backup is 2')).toBeUndefined();
    expect(smallFreeAlone('3 gb available of 64')).toBeUndefined();
    expect(smallFreeAlone('3 free')).toBeUndefined();
  });
});

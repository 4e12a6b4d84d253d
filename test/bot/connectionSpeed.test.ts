import { describe, expect, it } from 'vitest';
import { lineTold, tellsFastConnection, tellsSlowConnection } from '../../src/bot/connectionSpeed.js';

describe('a fast connection told in figures or names', () => {
  it('hears a speed beside the line it comes over, and fast lines by name', () => {
    expect(tellsFastConnection('our broadband does 350 mbps')).toBe(true);
    expect(tellsFastConnection('speed test shows 120 down')).toBe(true);
    expect(tellsFastConnection('we are on fiber at home')).toBe(true);
    expect(tellsFastConnection('the office has gigabit')).toBe(true);
    expect(tellsFastConnection('the internet is really fast here')).toBe(true);
  });

  it('hears no speed in storage, a device size or a slow line', () => {
    expect(tellsFastConnection('only 300mb free')).toBe(false);
    expect(tellsFastConnection('its the 256 gig model')).toBe(false);
    expect(tellsFastConnection('wifi is 10mbps at best')).toBe(false);
    expect(tellsFastConnection('the wifi is slow')).toBe(false);
    expect(tellsFastConnection('the fibre went down last night')).toBe(false);
  });

  it('takes slowness denied for no slow line', () => {
    expect(tellsFastConnection('its fibre, so not slow internet')).toBe(true);
  });
});

describe('a slow connection told in figures or words', () => {
  it('hears a speed below a fast one beside the line it comes over, and a line called slow', () => {
    expect(tellsSlowConnection('my internet is only like 10mbps')).toBe(true);
    expect(tellsSlowConnection('wifi is 10mbps at best')).toBe(true);
    expect(tellsSlowConnection('the wifi is really slow here')).toBe(true);
    expect(tellsSlowConnection('we just have slow broadband')).toBe(true);
  });

  it('hears no slow line in storage, a fast line, slowness denied, or a broken line', () => {
    expect(tellsSlowConnection('only 30mb free')).toBe(false);
    expect(tellsSlowConnection('our broadband does 350 mbps')).toBe(false);
    expect(tellsSlowConnection('its fibre, so not slow internet')).toBe(false);
    expect(tellsSlowConnection('the wifi keeps dropping')).toBe(false);
  });

  it('names the line told, fast before slow', () => {
    expect(lineTold('500mbps fibre')).toBe('fast');
    expect(lineTold('10mbps internet')).toBe('slow');
    expect(lineTold('the wifi is fine')).toBeUndefined();
  });
});

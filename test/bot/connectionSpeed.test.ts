import { describe, expect, it } from 'vitest';
import { tellsFastConnection } from '../../src/bot/connectionSpeed.js';

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

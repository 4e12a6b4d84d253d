import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunningRestore } from '../../src/bot/runningRestore.js';
import { initialState, type ConversationState } from '../../src/bot/state.js';
import { loadContent } from '../../src/content/load.js';
import { buildRecognizer } from '../../src/nlu/fromContent.js';

const content = loadContent(path.join(import.meta.dirname, '..', '..'));
const recognizer = buildRecognizer(content);
const running = new RunningRestore({ content, recognize: (text) => recognizer.recognize(text) });
const erase = content.intentById.get('erase_device');
const slowRestore: ConversationState = { ...initialState(), tree: { tree: 'slow_restore', node: 'intro', path: [] } };
const failing: ConversationState = { ...initialState(), tree: { tree: 'cannot_restore', node: 'intro', path: [] } };
const answeredWith = (text: string) => ({ state: initialState(), replies: [{ text }] });

describe('a restore that is running', () => {
  it('reads "it" in a question inside a walk-through about a running restore as the restore', () => {
    expect(running.named(slowRestore, 'how do i tell when its done?')).toBe('how do i tell when the restore is done?');
    expect(running.named(failing, 'how do i tell when its done?')).toBe('how do i tell when its done?');
    expect(running.named(slowRestore, 'its done i think')).toBe('its done i think');
    expect(running.named(slowRestore, 'is there a safe way to stop it?')).toBe('is there a safe way to stop the restore?');
    expect(running.named(slowRestore, 'what if i unplug it tonight?')).toBe('what if i unplug the device during the restore tonight?');
    expect(running.named(slowRestore, 'how can i tell its actually doing anything')).toBe('how can i tell the restore is actually doing anything');
    // A bare "so it's going?" after Stop Restoring was seen asks about what was seen, not how long a restore takes.
    expect(running.named(slowRestore, "yep it shows Stop Restoring, so it's going?")).toBe("yep it shows Stop Restoring, so it's going?");
  });

  it('gives the running-restore version of an answer when a restore is running, and the general one otherwise', () => {
    if (!erase?.whileRestoring) throw new Error('the erase topic has a running-restore answer');
    const general = answeredWith(erase.answer);
    expect(running.answered(slowRestore, 'should i erase it', general).replies[0]?.text).toBe(erase.whileRestoring);
    expect(running.answered(initialState(), 'restore is still running, should i erase it', general).replies[0]?.text).toBe(erase.whileRestoring);
    expect(running.answered({ ...initialState(), lastIntent: 'use_during_restore' }, 'should i wipe it', general).replies[0]?.text).toBe(erase.whileRestoring);
    expect(running.answered(initialState(), 'should i erase my iphone', general).replies[0]?.text).toBe(erase.answer);
  });

  it('says first not to erase when a walk-through about a running restore begins beside a plan to, and not for a network reset', () => {
    const started = { state: slowRestore, replies: [{ text: 'How long a restore takes…' }] };
    expect(running.answered(initialState(), 'been restoring all night, ima just reset it', started).replies.map((reply) => reply.text)).toEqual([erase?.whileRestoring, 'How long a restore takes…']);
    expect(running.answered(initialState(), 'restore is slow, i reset my network settings earlier', started).replies).toHaveLength(1);
  });
});

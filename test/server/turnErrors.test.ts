import { MemoryStorage } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

/** Memory storage that fails the next read, as a broken disk or network store would. */
class FlakyStorage extends MemoryStorage {
  failNextRead = false;
  deleted: string[] = [];

  override async read(keys: string[]) {
    if (this.failNextRead) {
      this.failNextRead = false;
      throw new Error('storage unavailable');
    }
    return super.read(keys);
  }

  override async delete(keys: string[]) {
    this.deleted.push(...keys);
    return super.delete(keys);
  }
}

const storage = new FlakyStorage();
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({}, { storage });
});
afterAll(async () => {
  await bot.close();
});

describe('a turn that fails', () => {
  it('apologises with an error code, resets the conversation and keeps serving', async () => {
    const chat = conversation(bot);
    await chat.say('Cannot Restore Backup');
    storage.failNextRead = true;
    const failed = await chat.say('no');
    expect(failed.status).toBe(200);
    expect(textOf(failed.replies)).toMatch(/went wrong.*\(ERR_TURN_FAILED\)/s);
    expect(textOf(failed.replies)).not.toMatch(/storage unavailable|at .*\.js/);
    expect(storage.deleted).toContain(chat.id);

    const after = await chat.say('my restore is slow');
    expect(textOf(after.replies)).toMatch(/per gigabyte/);
  });
});

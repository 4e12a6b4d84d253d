import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/storage/eventLog.js';
import { storeKinds } from '../support/storeKinds.js';

/** The event log's contract on every backend STORAGE can name; "connect" opens a second instance's handle. */
const stores = storeKinds('events');

const record = (minute: number, conversation: string, body: string): EventRecord => ({ at: new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString(), conversation, body });

describe.each(stores.kinds)('%s event log', (kind) => {
  const place = () => stores.place(kind);

  it('reads back every record appended, in time order, each batch in the order given', async () => {
    const { events } = await place().connect();
    await Promise.all([events.append([record(2, 'b', '["b1"]'), record(2, 'b', '["b2"]')]), events.append([record(1, 'a', '["a1"]')]), events.append([record(3, 'c', '["c1 é 🙂"]')])]);
    expect((await events.read()).map((item) => item.body)).toEqual(['["a1"]', '["b1"]', '["b2"]', '["c1 é 🙂"]']);
  });

  it('reads only the records at or after a date', async () => {
    const { events } = await place().connect();
    await events.append([record(1, 'a', '1'), record(30, 'a', '2'), record(59, 'b', '3')]);
    expect((await events.read(record(30, '', '').at)).map((item) => item.body)).toEqual(['2', '3']);
  });

});

// The in-memory store has no second handle: another instance never shares it.
describe.each(['file', 'blob'] as const)('%s event log shared by two instances', (kind) => {
  it("lets a second instance on the same store read the first one's records", async () => {
    const where = stores.place(kind);
    const first = await where.connect();
    const second = await where.connect();
    await first.events.append([record(5, 'a', '["from the first"]')]);
    expect(await second.events.read()).toEqual([record(5, 'a', '["from the first"]')]);
  });
});

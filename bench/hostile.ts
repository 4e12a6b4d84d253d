import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';

/**
 * `npx tsx bench/hostile.ts [--seconds 30]`: the security review's floods against the real bot
 * (`node dist/main.js`, memory store, on a free loopback port), bounded in count and time, while a
 * prober times GET /healthz every 50 ms and samples the process's RSS. Prints /healthz latency
 * (median, p99, max) and RSS (start, peak, end). Run `npm run build` first.
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
const seconds = Number(values.seconds);

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => resolve(free));
  });
});
const url = `http://127.0.0.1:${port}`;
const bot = spawn(process.execPath, ['--disable-warning=DEP0111', 'dist/main.js'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', STORAGE: 'memory', LOG_LEVEL: 'error' }, stdio: 'ignore' });
const rss = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${bot.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

for (let ready = false; !ready; ) ready = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
const deadline = Date.now() + seconds * 1000;
const rssSamples = [rss()];
const latencies: number[] = [];

const activity = (text: string, id: string) => ({ type: 'message', id, channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `flood-${id}` }, from: { id: 'u' }, recipient: { id: 'b' }, text });
const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((response) => response.arrayBuffer(), () => undefined);

/** Each attacker loops until the deadline, one request at a time: bounded, and never off loopback. */
async function attacker(send: (round: number) => Promise<unknown>): Promise<void> {
  for (let round = 0; Date.now() < deadline; round += 1) await send(round);
}
const bomb = gzipSync(JSON.stringify(activity('a'.repeat(5_000_000), 'bomb')));
const attackers = [
  attacker(() => post('/api/messages', bomb, { 'content-encoding': 'gzip' })),
  attacker((round) => post('/api/messages', JSON.stringify(activity('<at>'.repeat(60_000), `at-${round}`)))),
  attacker((round) => post('/api/messages', JSON.stringify({ ...activity('hi', `crowd-${round}`), type: 'conversationUpdate', membersAdded: Array.from({ length: 7000 }, (_, index) => ({ id: `m${index}` })) }))),
  attacker(async () => {
    const session = (await (await fetch(`${url}/api/directline/token`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    const headers = { authorization: `Bearer ${session.token}` };
    await post('/v3/directline/conversations', '{}', headers);
    for (let index = 0; index < 20; index += 1) {
      await post(`/v3/directline/conversations/${session.conversationId}/activities`, JSON.stringify({ type: 'message', text: 'x', channelData: { junk: 'y'.repeat(200_000) } }), headers);
    }
  }),
];
const prober = (async () => {
  while (Date.now() < deadline) {
    const start = performance.now();
    await fetch(`${url}/healthz`).then((response) => response.arrayBuffer(), () => undefined);
    latencies.push(performance.now() - start);
    rssSamples.push(rss());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
})();
await Promise.all([...attackers, prober]);
rssSamples.push(rss());
bot.kill('SIGTERM');

const sorted = [...latencies].sort((a, b) => a - b);
const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
const round = (value: number) => Math.round(value * 10) / 10;
console.log(`/healthz under the flood (${sorted.length} probes in ${seconds} s): median ${round(at(0.5))} ms, p99 ${round(at(0.99))} ms, max ${round(at(1))} ms`);
console.log(`RSS: start ${round(rssSamples[0] ?? 0)} MB, peak ${round(Math.max(...rssSamples))} MB, end ${round(rssSamples.at(-1) ?? 0)} MB`);

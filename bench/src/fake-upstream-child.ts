/**
 * Runs the fake upstream in its own process, so that neither the load generator nor
 * the gateway shares an event loop with it. Started by processes.ts with an IPC channel:
 * options come in `BENCH_FAKE_OPTIONS` (JSON), the URL goes out as `{ type: 'ready', url }`.
 * It answers `{ type: 'cpu' }` with its CPU time so far (microseconds), and exits when
 * the parent disconnects or asks it to.
 */
import { startFakeUpstream, type FakeUpstreamOptions } from './fake-upstream.js';

if (!process.send) {
  console.error('fake-upstream-child must be started with an IPC channel (by bench/src/processes.ts)');
  process.exit(2);
}

const options = JSON.parse(process.env.BENCH_FAKE_OPTIONS ?? '{}') as FakeUpstreamOptions;
const fake = await startFakeUpstream(options);

async function stop(code: number): Promise<never> {
  await fake.close();
  process.exit(code);
}

process.on('message', (message: { type?: string }) => {
  if (message.type === 'counts') process.send?.({ type: 'counts', counts: fake.counts });
  // CPU time (user + system) since the process started, in microseconds: the parent takes differences.
  if (message.type === 'cpu') {
    const cpu = process.cpuUsage();
    process.send?.({ type: 'cpu', us: cpu.user + cpu.system });
  }
  if (message.type === 'stop') void stop(0);
});
process.on('disconnect', () => void stop(0));
process.send({ type: 'ready', url: fake.url });

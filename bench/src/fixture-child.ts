/**
 * Makes the scale fixture (scale-fixture.ts) in a process of its own, before the gateway
 * child starts: processes.ts starts it as
 *
 *   node --import tsx --conditions switchyard-src bench/src/fixture-child.ts
 *
 * (or `node bench/dist/fixture-child.js`) with an IPC channel and the gateway child's own
 * `BENCH_GATEWAY_OPTIONS` (gateway-child.ts), so it opens the same store (the embedded
 * SQLite file in `dataDir`, or the bench's redis-server under the gateway's prefix) with
 * the same config and encryption key: keys are made by `Gateway.createKey`, hashed as the
 * gateway child will look them up. It creates the gateway without listening, makes the
 * fixture, closes the gateway (the store is flushed and closed), answers
 * `{ type: 'ready', fixture }` and exits. The heap it needed (about a gigabyte for
 * millions of usage rows) dies with it.
 */
import path from 'node:path';
import { createGateway, type Gateway } from '@switchyard/core';
import type { GatewayChildOptions } from './gateway-child.js';
import { gatewayOptions, providerSetup } from './gateway-setup.js';
import { makeScaleFixture } from './scale-fixture.js';

const send = process.send?.bind(process);
const options = JSON.parse(process.env.BENCH_GATEWAY_OPTIONS ?? 'null') as GatewayChildOptions | null;

async function makeFixture(opts: GatewayChildOptions): Promise<unknown> {
  if (!opts.scale) throw new Error('BENCH_GATEWAY_OPTIONS has no scale');
  const setup = await providerSetup(opts);
  let gateway: Gateway | undefined;
  try {
    gateway = await createGateway(gatewayOptions(opts, setup));
    const benchKey = (await gateway.store.keys.list()).find((key) => key.name === 'bench');
    if (!benchKey) throw new Error('the bench key is missing');
    const started = performance.now();
    const fixture = await makeScaleFixture(
      gateway,
      opts.scale,
      { keyId: benchKey.id, account: setup.account },
      opts.store?.type === 'redis'
        ? // The Redis store keeps the newest 100,000 records (DEFAULT_REDIS_USAGE_MAX_RECORDS): older ones would be trimmed.
          { maxRecords: 100_000 }
        : { sqliteFile: path.join(opts.dataDir, 'switchyard.db') },
    );
    return { ...fixture, totalMs: performance.now() - started, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  } finally {
    await gateway?.close();
  }
}

if (!send || !options) {
  console.error('fixture-child must be started by bench/src/processes.ts (IPC channel and BENCH_GATEWAY_OPTIONS)');
  process.exit(2);
}
// The bench ended (or was stopped): no point in finishing the fixture.
process.on('disconnect', () => process.exit(1));
try {
  const fixture = await makeFixture(options);
  send({ type: 'ready', fixture }, () => process.exit(0));
} catch (error) {
  const err = error as Error;
  send({ type: 'error', message: err.message, stack: err.stack }, () => process.exit(1));
}

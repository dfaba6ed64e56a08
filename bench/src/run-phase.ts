/** One measured phase of a provider's run: probe, warm-up, rounds one after the other and side by side. */
import type { Pool } from 'undici';
import type { ChildHandle } from './children.js';
import type { ChildStats } from './gateway-child.js';
import { createPool, runLoad, type LoadResult, type LoadTarget } from './load.js';
import type { BenchOptions } from './options.js';
import { roundOrder, type Phase } from './phases.js';
import { running, type Gateways, type Keys } from './processes.js';
import type { Provider } from './providers.js';
import { compare, cpuBudget, perRequest, recordingCost, type ModeReport } from './report.js';
import { runSideBySide, type SideBySideRound } from './side-by-side.js';
import { mergeResults, summarize } from './stats.js';
import { mergeRedisStats, redisPhaseStats, type RedisPhaseStats } from './bench-redis.js';

/** One measured phase: probe, warm-up, then `rounds` alternations of direct and gateway, over fresh pools of `phase.concurrency` connections. */
export async function runPhase(
  provider: Provider,
  phase: Phase,
  options: BenchOptions,
  fake: ChildHandle,
  keys: Keys,
  gateways: Gateways,
  deadlineAt: number,
): Promise<ModeReport> {
  const upstreamUrl = String(fake.ready.url);
  const { mode, concurrency } = phase;
  const body = provider.requestBody(mode);
  const mustContain = provider.mustContain(mode);
  const directMustContain = provider.directMustContain?.(mode) ?? mustContain;
  const remaining = () => Math.max(1_000, deadlineAt - Date.now());
  const phasePools: Pool[] = [];
  const pool = (origin: string) => {
    const created = createPool(origin, concurrency);
    phasePools.push(created);
    running.pools.push(created);
    return created;
  };
  const direct = {
    pool: pool(upstreamUrl),
    target: {
      name: 'direct',
      origin: upstreamUrl,
      path: provider.upstreamPath(mode),
      headers: provider.directHeaders(keys.upstreamKey),
    } as LoadTarget,
  };
  const gatewayOrigin = String(gateways.on.ready.url);
  const gateway = {
    pool: pool(gatewayOrigin),
    target: {
      name: options.recording === 'off' ? 'gateway (no rec)' : options.recording === 'control' ? 'gateway (control)' : 'gateway',
      origin: gatewayOrigin,
      path: provider.gatewayPath,
      headers: provider.gatewayHeaders(keys.clientKey),
    } as LoadTarget,
  };
  const offOrigin = gateways.off ? String(gateways.off.ready.url) : undefined;
  const off = offOrigin
    ? {
        pool: pool(offOrigin),
        target: {
          name: 'gateway (no rec)',
          origin: offOrigin,
          path: provider.gatewayPath,
          headers: provider.gatewayHeaders(keys.clientKey),
        } as LoadTarget,
      }
    : undefined;
  const load = (target: { pool: Pool; target: LoadTarget }, requests: number, stop?: AbortSignal) =>
    runLoad(target.pool, target.target, {
      requests,
      concurrency,
      body,
      mustContain: target === direct ? directMustContain : mustContain,
      deadlineMs: remaining(),
      ...(stop ? { stop } : {}),
    });
  // CPU of the load generator (this process) and of the fake during the measured loads, per side.
  const spent = { direct: { loadgenUs: 0, fakeUs: 0 }, gateway: { loadgenUs: 0, fakeUs: 0 } };
  const fakeCpu = async () => (await fake.ask<{ us: number }>('cpu')).us;
  /**
   * A gateway's phase ends when the usage records of its requests are written: it is
   * asked to flush them, and that time counts in the phase's wall time (and its CPU in
   * the gateway's), instead of the batch landing in whichever phase runs next.
   */
  const usageTail = { ms: 0, phases: 0, phaseWallMs: 0 };
  const recorded = async (child: ChildHandle, result: LoadResult): Promise<LoadResult> => {
    const started = performance.now();
    const answer = await child.ask<{ error?: string }>('flush', 60_000);
    if (answer.error) throw new Error(`${provider.id} ${mode}: flushing usage failed: ${answer.error}`);
    const tailMs = performance.now() - started;
    if (child === gateways.on) {
      usageTail.ms += tailMs;
      usageTail.phases++;
      usageTail.phaseWallMs += result.wallMs + tailMs;
    }
    return { ...result, wallMs: result.wallMs + tailMs };
  };
  const measured = async (side: 'direct' | 'gateway', target: { pool: Pool; target: LoadTarget }, requests: number) => {
    const fakeBefore = await fakeCpu();
    const before = process.cpuUsage();
    const loaded = await load(target, requests);
    const result = side === 'gateway' ? await recorded(gateways.on, loaded) : loaded;
    const after = process.cpuUsage(before);
    spent[side].loadgenUs += after.user + after.system;
    spent[side].fakeUs += (await fakeCpu()) - fakeBefore;
    return result;
  };

  try {
    // Probe each target once, so a broken setup fails with its error instead of a table of zeros.
    for (const target of off ? [direct, gateway, off] : [direct, gateway]) {
      const probe = await load(target, 1);
      if (probe.completed !== 1) {
        throw new Error(
          `${provider.id} ${mode} probe through ${target.target.name} (${target.target.origin}${target.target.path}) failed: ${probe.errorSamples.join('; ') || 'timed out'}`,
        );
      }
    }
    if (options.warmup > 0) {
      await load(direct, options.warmup);
      await load(gateway, options.warmup);
      if (off) await load(off, options.warmup);
    }

    const directResults: LoadResult[] = [];
    const gatewayResults: LoadResult[] = [];
    let cpuUserUs = 0;
    let cpuSystemUs = 0;
    let gatewayWallMs = 0;
    let peakRssBytes = 0;
    const threads = { on: { mainMs: 0, gcMs: 0 }, off: { mainMs: 0, gcMs: 0 } };
    const offResults: LoadResult[] = [];
    let offCpuUs = 0;
    const redisParts: { stats: RedisPhaseStats; requests: number }[] = [];
    const runGateway = async (requests: number) => {
      await gateways.on.ask('reset');
      const redisBefore = await running.redis?.snapshot();
      const result = await measured('gateway', gateway, requests);
      gatewayResults.push(result);
      if (redisBefore && running.redis && result.completed > 0) {
        const stats = redisPhaseStats(redisBefore, await running.redis.snapshot(), result.completed);
        redisParts.push({ stats, requests: result.completed });
      }
      const { stats } = await gateways.on.ask<{ stats: ChildStats }>('stats');
      cpuUserUs += stats.cpuUserUs;
      cpuSystemUs += stats.cpuSystemUs;
      gatewayWallMs += stats.wallMs;
      peakRssBytes = Math.max(peakRssBytes, stats.peakRssBytes);
      threads.on.mainMs += stats.mainThreadCpuMs;
      threads.on.gcMs += stats.gcPauseMs;
    };
    const runOff = async (requests: number) => {
      if (!off || !gateways.off) return;
      await gateways.off.ask('reset');
      offResults.push(await recorded(gateways.off, await load(off, requests)));
      const { stats } = await gateways.off.ask<{ stats: ChildStats }>('stats');
      offCpuUs += stats.cpuUserUs + stats.cpuSystemUs;
      threads.off.mainMs += stats.mainThreadCpuMs;
      threads.off.gcMs += stats.gcPauseMs;
    };
    const runDirect = async (requests: number) => {
      directResults.push(await measured('direct', direct, requests));
    };
    const sideBySide: SideBySideRound[] = [];
    const cpuOf = (stats: ChildStats) => ({
      cpuMs: (stats.cpuUserUs + stats.cpuSystemUs) / 1000,
      mainMs: stats.mainThreadCpuMs,
      gcMs: stats.gcPauseMs,
    });
    /**
     * Both gateways at once (side-by-side.ts). Crossover: in odd rounds the two processes
     * swap roles (the one started with recording off records, the other does not), so
     * that what differs between the two processes themselves (how V8 sized their heaps,
     * what the JIT did: 1-2% in A/A runs, up to 10% when one's GC pauses ran twice as
     * long) cancels out over each pair of rounds.
     */
    const runBothAtOnce = async (requests: number, round: number) => {
      if (!off || !gateways.off) return;
      const swapped = round % 2 === 1;
      const [onChild, offChild] = swapped ? [gateways.off, gateways.on] : [gateways.on, gateways.off];
      const [onTarget, offTarget] = swapped ? [off, gateway] : [gateway, off];
      const roles = (recorder: ChildHandle, other: ChildHandle) =>
        Promise.all([
          recorder.ask('recording', 10_000, { on: options.recording === 'compare' }),
          other.ask('recording', 10_000, { on: false }),
        ]);
      if (swapped) await roles(onChild, offChild);
      const onFirst = Math.floor(round / 2) % 2 === 0;
      await Promise.all([onChild.ask('reset'), offChild.ask('reset')]);
      const result = await runSideBySide(
        (n, stop) => load(onTarget, n, stop),
        (n, stop) => load(offTarget, n, stop),
        requests,
        onFirst,
      );
      const [onStats, offStats] = await Promise.all([
        onChild.ask<{ stats: ChildStats }>('stats'),
        offChild.ask<{ stats: ChildStats }>('stats'),
      ]);
      sideBySide.push({ ...result, swapped, onCpu: cpuOf(onStats.stats), offCpu: cpuOf(offStats.stats) });
      // The records left at the end of the window are written before the next phase, unmeasured.
      await Promise.all([gateways.on.ask('flush', 60_000), gateways.off.ask('flush', 60_000)]);
      if (swapped) await roles(gateways.on, gateways.off);
    };
    for (let round = 0; round < options.rounds; round++) {
      if (Date.now() >= deadlineAt) break;
      const requests = Math.floor(options.requests / options.rounds) + (round === 0 ? options.requests % options.rounds : 0);
      if (requests === 0) continue;
      for (const run of roundOrder(round, runDirect, runGateway, off ? runOff : undefined)) await run(requests);
      await runBothAtOnce(requests, round);
    }
    if (directResults.length === 0 || gatewayResults.length === 0)
      throw new Error(`${provider.id} ${mode}: the time cap was reached before any measured round`);

    const directSummary = summarize(mergeResults(directResults));
    const gatewaySummary = summarize(mergeResults(gatewayResults));
    const cpuMs = (cpuUserUs + cpuSystemUs) / 1000;
    const redis = mergeRedisStats(redisParts);
    const warnings: string[] = [];
    // A re-encoded stream (bedrock: binary frames direct, SSE through the gateway) differs in size by design.
    const reencoded = mode === 'stream' && provider.directMustContain !== undefined;
    if (!reencoded && directSummary.bodyBytes !== gatewaySummary.bodyBytes) {
      warnings.push(`response sizes differ: direct ${directSummary.bodyBytes} B, gateway ${gatewaySummary.bodyBytes} B`);
    }
    const perResponse =
      mode === 'stream'
        ? `${options.events} ${provider.id === 'echo' ? 'delta' : 'content_block_delta'} events x ${options.eventBytes} chars, ${options.delayMs} ms apart`
        : 'one JSON body';
    return {
      provider: provider.id,
      mode,
      concurrency,
      description:
        `[${provider.id}] ${mode === 'stream' ? 'streamed (SSE)' : 'unary (JSON)'} ${provider.gatewayPath}: ${options.requests} requests per target in ` +
        `${options.rounds} round(s), concurrency ${concurrency}, ${perResponse}`,
      direct: directSummary,
      gateway: gatewaySummary,
      gatewayProcess: {
        cpuMsPerRequest: gatewaySummary.completed > 0 ? cpuMs / gatewaySummary.completed : Number.NaN,
        cpuUserMs: cpuUserUs / 1000,
        cpuSystemMs: cpuSystemUs / 1000,
        cpuCores: gatewayWallMs > 0 ? cpuMs / gatewayWallMs : Number.NaN,
        peakRssBytes,
        usageTail,
        mainThreadMsPerRequest: perRequest(threads.on.mainMs, gatewaySummary.completed),
        gcPauseMsPerRequest: perRequest(threads.on.gcMs, gatewaySummary.completed),
      },
      cpuBudget: cpuBudget(spent, directSummary.completed, gatewaySummary.completed, cpuMs),
      ...compare(directSummary, gatewaySummary),
      ...(redis ? { redis } : {}),
      ...(offResults.length
        ? {
            recording: recordingCost(
              gatewaySummary,
              summarize(mergeResults(offResults)),
              { on: gatewayResults, off: offResults },
              { cpuMs, ...threads.on },
              { cpuMs: offCpuUs / 1000, ...threads.off },
              sideBySide,
              options.recording === 'control',
            ),
          }
        : {}),
      warnings,
    };
  } finally {
    await Promise.allSettled(phasePools.map((created) => created.close()));
    for (const created of phasePools) running.pools.splice(running.pools.indexOf(created), 1);
  }
}

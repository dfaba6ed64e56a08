/**
 * `--pair a,b`: the gateway CPU of one route against another's, measured side by side.
 * Both routes' gateways are loaded at the same time (each by its own pool of
 * `concurrency` connections, against the one fake upstream), round after round, the one
 * started first alternating. Whatever else the machine does during a round slows both
 * alike, so the ratio of their CPU per request holds where figures from phases run one
 * after the other drift by tens of per cent on a busy 2-core VM (seen: the claude route
 * at 0.88 and 1.51 CPU ms/request in two runs minutes apart).
 *
 * Reported: each side's CPU ms per request over all rounds (whole process, main thread,
 * GC pauses), the pooled ratio b/a, and the median of the per-round ratios.
 */
import type { ChildStats } from './gateway-child.js';
import { createPool, runLoad, type LoadTarget } from './load.js';
import type { BenchOptions } from './options.js';
import { running, startGateways, type Keys } from './processes.js';
import { PROVIDERS, type Mode, type ProviderId } from './providers.js';
import { runSideBySide } from './side-by-side.js';
import type { ChildHandle } from './children.js';

/** One side's totals over the measured rounds. */
export interface PairSide {
  provider: ProviderId;
  requests: number;
  cpuMs: number;
  mainMs: number;
  gcMs: number;
}

/** The outcome of a pair run. */
export interface PairReport {
  mode: Mode;
  concurrency: number;
  rounds: number;
  sides: [PairSide, PairSide];
  /** CPU per request of b over a's, per round (rounds with errors left out). */
  perRoundRatio: number[];
  /** Each round's CPU ms per request of a and of b. */
  perRoundCpu: [number, number][];
  errors: number;
}

interface Side {
  provider: ProviderId;
  child: ChildHandle;
  target: LoadTarget;
  pool: ReturnType<typeof createPool>;
  totals: PairSide;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs the pair: warm-up of each, then `options.rounds` side-by-side rounds of `options.requests / rounds` each. */
export async function runProviderPair(
  pair: readonly [ProviderId, ProviderId],
  mode: Mode,
  options: BenchOptions,
  upstreamUrl: string,
  keys: Keys,
  deadlineAt: number,
): Promise<PairReport> {
  const sides: Side[] = [];
  for (const provider of pair) {
    const gateways = await startGateways(
      provider,
      { ...options, recording: options.recording === 'off' ? 'off' : 'on' },
      upstreamUrl,
      keys,
    );
    const origin = String(gateways.on.ready.url);
    const pool = createPool(origin, options.concurrency);
    running.pools.push(pool);
    sides.push({
      provider,
      child: gateways.on,
      pool,
      target: {
        name: provider,
        origin,
        path: PROVIDERS[provider].gatewayPath,
        headers: PROVIDERS[provider].gatewayHeaders(keys.clientKey),
      },
      totals: { provider, requests: 0, cpuMs: 0, mainMs: 0, gcMs: 0 },
    });
  }
  const remaining = () => Math.max(1_000, deadlineAt - Date.now());
  const load = (side: Side, requests: number, stop?: AbortSignal) =>
    runLoad(side.pool, side.target, {
      requests,
      concurrency: options.concurrency,
      body: PROVIDERS[side.provider].requestBody(mode),
      mustContain: PROVIDERS[side.provider].mustContain(mode),
      deadlineMs: remaining(),
      ...(stop ? { stop } : {}),
    });
  for (const side of sides) if (options.warmup > 0) await load(side, options.warmup);

  const [a, b] = sides as [Side, Side];
  const perRoundRatio: number[] = [];
  const perRoundCpu: [number, number][] = [];
  let errors = 0;
  const perRound = Math.max(1, Math.floor(options.requests / options.rounds));
  for (let round = 0; round < options.rounds && Date.now() < deadlineAt; round++) {
    await Promise.all([a.child.ask('reset'), b.child.ask('reset')]);
    const result = await runSideBySide(
      (n, stop) => load(a, n, stop),
      (n, stop) => load(b, n, stop),
      perRound,
      round % 2 === 0,
    );
    const [aStats, bStats] = await Promise.all([
      a.child.ask<{ stats: ChildStats }>('stats'),
      b.child.ask<{ stats: ChildStats }>('stats'),
    ]);
    await Promise.all([a.child.ask('flush', 60_000), b.child.ask('flush', 60_000)]);
    errors += result.errors;
    const add = (side: Side, stats: ChildStats, completed: number) => {
      side.totals.requests += completed;
      side.totals.cpuMs += (stats.cpuUserUs + stats.cpuSystemUs) / 1000;
      side.totals.mainMs += stats.mainThreadCpuMs;
      side.totals.gcMs += stats.gcPauseMs;
      return (stats.cpuUserUs + stats.cpuSystemUs) / 1000 / completed;
    };
    const aCpu = add(a, aStats.stats, result.onCompleted);
    const bCpu = add(b, bStats.stats, result.offCompleted);
    perRoundCpu.push([aCpu, bCpu]);
    if (result.errors === 0) perRoundRatio.push(bCpu / aCpu);
  }
  return {
    mode,
    concurrency: options.concurrency,
    rounds: options.rounds,
    sides: [a.totals, b.totals],
    perRoundRatio,
    perRoundCpu,
    errors,
  };
}

/** The report's lines. */
export function formatPair(report: PairReport): string {
  const [a, b] = report.sides;
  const per = (side: PairSide, field: 'cpuMs' | 'mainMs' | 'gcMs') => (side[field] / side.requests).toFixed(3);
  const pooled = b.cpuMs / b.requests / (a.cpuMs / a.requests);
  const line = (side: PairSide) =>
    `  ${side.provider.padEnd(8)} ${String(side.requests).padStart(7)} requests  ${per(side, 'cpuMs')} CPU ms/request  ` +
    `(main thread ${per(side, 'mainMs')}, GC pauses ${per(side, 'gcMs')})`;
  return [
    `pair ${a.provider} vs ${b.provider}, ${report.mode} at concurrency ${report.concurrency}, both loaded at once, ${report.rounds} rounds:`,
    line(a),
    line(b),
    `  ${b.provider}/${a.provider} CPU per request: ${pooled.toFixed(2)} pooled (${((pooled - 1) * 100).toFixed(0)}%), ` +
      `median of rounds ${median(report.perRoundRatio).toFixed(2)}, rounds ${report.perRoundRatio.map((r) => r.toFixed(2)).join(' ')}` +
      (report.errors > 0 ? `; ${report.errors} errors (rounds with errors left out of the median)` : ''),
    `  CPU ms/request per round (${a.provider}/${b.provider}): ${report.perRoundCpu.map(([x, y]) => `${x.toFixed(2)}/${y.toFixed(2)}`).join(' ')}`,
  ].join('\n');
}

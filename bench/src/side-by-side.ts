/**
 * Side-by-side rounds of `--recording compare` (and `control`): the gateway with usage
 * recording on and the one with it off are loaded at the same time, each by its own
 * pool of `concurrency` connections, from the same load generator against the same
 * fake upstream. Whatever else the machine does during the round (a noisy neighbour's
 * steal time, the load generator's garbage collection) slows both alike, so the ratio
 * of their throughputs keeps the cost of recording and loses most of the noise that
 * rounds run one after the other carry (±16% per 1-second round on a 2-core VM, against
 * a cost of a few percent).
 *
 * Crossover: the caller swaps which process records every other round, so what differs
 * between the two processes themselves cancels out (see run-phase.ts).
 *
 * Each gateway's throughput is counted over the common window: from the start until the
 * first of the two has served its requests; the other stops issuing then, and only what
 * it had completed by that moment counts. Usage batches are written while requests are
 * served, inside the window, as in production; the last batch (at most
 * `usage.flushIntervalMs` of records) is flushed after the round, unmeasured.
 */
import type { LoadResult } from './load.js';

/** A gateway's CPU during a measured stretch, in milliseconds: whole process, main thread, GC pauses. */
export interface GatewayCpu {
  cpuMs: number;
  mainMs: number;
  gcMs: number;
}

/** Runs one load of `requests`; issues no new request once `stop` fires. */
export type StoppableLoad = (requests: number, stop: AbortSignal) => Promise<LoadResult>;

/** One side-by-side round: each gateway's requests per second over the common window. */
export interface SideBySideRound {
  onPerSecond: number;
  offPerSecond: number;
  windowMs: number;
  /** Requests each side completed in all (the window's and, for the one stopped, those in flight at the stop). */
  onCompleted: number;
  offCompleted: number;
  /** Errors and timeouts of either side (a round with any is not a fair comparison). */
  errors: number;
  /** Set by the caller: the two processes had swapped roles for this round (crossover). */
  swapped?: boolean;
  /** Set by the caller: each side's CPU during the round (whole process, main thread, GC pauses), in ms. */
  onCpu?: GatewayCpu;
  offCpu?: GatewayCpu;
}

/** Requests per second of `result` within the common window. */
function windowRate(result: LoadResult): { perSecond: number; windowMs: number } {
  // Stopped before it finished: count what completed by the stop. Otherwise it finished first.
  if (result.stoppedAtMs !== undefined && result.completedAtStop !== undefined && result.stoppedAtMs < result.wallMs) {
    return { perSecond: (1000 * result.completedAtStop) / result.stoppedAtMs, windowMs: result.stoppedAtMs };
  }
  return { perSecond: (1000 * result.completed) / result.wallMs, windowMs: result.wallMs };
}

/**
 * Loads both gateways at once with `requests` each; `onFirst` decides which starts
 * issuing first (alternate it between rounds: the two starts are a few microseconds apart).
 */
export async function runSideBySide(
  on: StoppableLoad,
  off: StoppableLoad,
  requests: number,
  onFirst: boolean,
): Promise<SideBySideRound> {
  const stopOn = new AbortController();
  const stopOff = new AbortController();
  const start = (load: StoppableLoad, own: AbortController, other: AbortController) =>
    load(requests, own.signal).finally(() => other.abort());
  let onRun: Promise<LoadResult>;
  let offRun: Promise<LoadResult>;
  if (onFirst) {
    onRun = start(on, stopOn, stopOff);
    offRun = start(off, stopOff, stopOn);
  } else {
    offRun = start(off, stopOff, stopOn);
    onRun = start(on, stopOn, stopOff);
  }
  const [onResult, offResult] = await Promise.all([onRun, offRun]);
  const onRate = windowRate(onResult);
  const offRate = windowRate(offResult);
  const errors = onResult.errors + offResult.errors + (onResult.timedOut || offResult.timedOut ? 1 : 0);
  return {
    onPerSecond: onRate.perSecond,
    offPerSecond: offRate.perSecond,
    windowMs: Math.min(onRate.windowMs, offRate.windowMs),
    onCompleted: onResult.completed,
    offCompleted: offResult.completed,
    errors,
  };
}

/** Two-sided 95% quantiles of Student's t for 1-30 degrees of freedom (beyond: 1.96 is close enough). */
const T95 = [
  12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.2, 2.18, 2.16, 2.14, 2.13, 2.12, 2.11, 2.1, 2.09, 2.09, 2.08,
  2.07, 2.07, 2.06, 2.06, 2.06, 2.05, 2.05, 2.05, 2.04,
];

/**
 * Per-round costs `1 - on/off` of side-by-side rounds without errors, their mean, and
 * the mean's 95% confidence half-width. Rounds come in crossover pairs (a round, then
 * the same with the processes' roles swapped): a pair's mean is free of what differs
 * between the two processes, so the interval is computed over pair means.
 */
export function sideBySideCosts(rounds: readonly SideBySideRound[]): {
  perRound: number[];
  mean: number;
  ci95: number;
  cpuCost: number;
  mainThreadCost: number;
} {
  const perRound = rounds.filter((round) => round.errors === 0).map(cost);
  const units: number[] = [];
  for (let i = 0; i < rounds.length; i += 2) {
    const pair = rounds.slice(i, i + 2);
    if (pair.length === 2 && pair.every((round) => round.errors === 0)) units.push((cost(pair[0]!) + cost(pair[1]!)) / 2);
  }
  const mean = perRound.length ? perRound.reduce((sum, value) => sum + value, 0) / perRound.length : Number.NaN;
  // CPU per request of each side over all rounds: the cross-check of the throughput figure.
  const perRequest = (side: 'on' | 'off', field: keyof GatewayCpu) => {
    let ms = 0;
    let requests = 0;
    for (const round of rounds) {
      ms += round[`${side}Cpu`]?.[field] ?? Number.NaN;
      requests += round[`${side}Completed`];
    }
    return ms / requests;
  };
  const cpuCost = perRequest('on', 'cpuMs') / perRequest('off', 'cpuMs') - 1;
  const mainThreadCost = perRequest('on', 'mainMs') / perRequest('off', 'mainMs') - 1;
  if (units.length < 2) return { perRound, mean, ci95: Number.NaN, cpuCost, mainThreadCost };
  const unitMean = units.reduce((sum, value) => sum + value, 0) / units.length;
  const variance = units.reduce((sum, value) => sum + (value - unitMean) ** 2, 0) / (units.length - 1);
  return { perRound, mean, ci95: (T95[units.length - 2] ?? 1.96) * Math.sqrt(variance / units.length), cpuCost, mainThreadCost };
}

function cost(round: SideBySideRound): number {
  return 1 - round.onPerSecond / round.offPerSecond;
}

/** Formats the bench results as a plain-text table. */
import type { Mode, ProviderId } from './providers.js';
import type { Summary } from './stats.js';
import type { LoadResult } from './load.js';
import type { RedisPhaseStats } from './bench-redis.js';
import { sideBySideCosts, type GatewayCpu, type SideBySideRound } from './side-by-side.js';

export interface GatewayProcessStats {
  /** Gateway CPU (user + system) per completed gateway request, in milliseconds. */
  cpuMsPerRequest: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Gateway CPU time over the gateway phases' wall time (1.0 = one core busy). */
  cpuCores: number;
  /** Highest sampled RSS during the gateway phases, in bytes. */
  peakRssBytes: number;
  /**
   * Wall time from a gateway phase's last response until its usage was written (the
   * flush that ends the phase), summed over the phases, and the phases' wall time.
   */
  usageTail: { ms: number; phases: number; phaseWallMs: number };
  /** CPU of the main (relaying) thread alone per request, in milliseconds (NaN without per-thread /proc times). */
  mainThreadMsPerRequest: number;
  /** Garbage-collection pauses of the main thread per request, in milliseconds. */
  gcPauseMsPerRequest: number;
}

/** Milliseconds per request: `ms / requests`, NaN for no requests. */
export function perRequest(ms: number, requests: number): number {
  return requests > 0 ? ms / requests : Number.NaN;
}

export interface ModeReport {
  provider: ProviderId;
  mode: Mode;
  concurrency: number;
  description: string;
  direct: Summary;
  gateway: Summary;
  gatewayProcess: GatewayProcessStats;
  /** CPU milliseconds per request of each process, direct and through the gateway (measured rounds only). */
  cpuBudget: CpuBudget;
  /** gateway / direct for each metric. */
  ratios: { throughput: number; latencyP50: number; latencyP99: number; ttfbP50: number; ttfbP99: number };
  /** gateway - direct in milliseconds. */
  addedMs: { latencyP50: number; latencyP99: number; ttfbP50: number; ttfbP99: number };
  /** With `--recording compare`: the gateway with usage recording on versus off. */
  recording?: RecordingCost;
  /** With `--store redis`: the Redis server's work during the gateway's measured rounds, per request. */
  redis?: RedisPhaseStats;
  warnings: string[];
}

/**
 * Where the CPU goes, per completed request. On a small machine the load generator, the
 * fake and the gateway share the cores, so when both sides are CPU-bound the throughput
 * ratio cannot exceed `direct total / gateway total` (`cpuBoundRatio`).
 */
export interface CpuBudget {
  direct: { loadgenMs: number; fakeMs: number; totalMs: number };
  gateway: { loadgenMs: number; fakeMs: number; gatewayMs: number; totalMs: number };
  cpuBoundRatio: number;
}

export function cpuBudget(
  spent: { direct: { loadgenUs: number; fakeUs: number }; gateway: { loadgenUs: number; fakeUs: number } },
  directCompleted: number,
  gatewayCompleted: number,
  gatewayCpuMs: number,
): CpuBudget {
  const per = (us: number, n: number) => perRequest(us / 1000, n);
  const direct = {
    loadgenMs: per(spent.direct.loadgenUs, directCompleted),
    fakeMs: per(spent.direct.fakeUs, directCompleted),
    totalMs: 0,
  };
  direct.totalMs = direct.loadgenMs + direct.fakeMs;
  const gateway = {
    loadgenMs: per(spent.gateway.loadgenUs, gatewayCompleted),
    fakeMs: per(spent.gateway.fakeUs, gatewayCompleted),
    gatewayMs: perRequest(gatewayCpuMs, gatewayCompleted),
    totalMs: 0,
  };
  gateway.totalMs = gateway.loadgenMs + gateway.fakeMs + gateway.gatewayMs;
  return { direct, gateway, cpuBoundRatio: direct.totalMs / gateway.totalMs };
}

/** What usage recording costs: the same rounds through a gateway with recording off. */
export interface RecordingCost {
  off: Summary;
  /** True for `--recording control`: recording was off in both gateways (an A/A test of the comparison). */
  control: boolean;
  /** 1 - throughput(on) / throughput(off), all rounds pooled: the share of throughput recording costs (negative: noise). */
  throughputCost: number;
  /**
   * The same per round (each round runs both gateways, back to back), median over the
   * rounds: a round hit by outside load (steal time on a VM) moves it less than the pooled figure.
   */
  throughputCostMedian: number;
  /** Rounds paired for the median. */
  rounds: number;
  /** The per-round costs, in round order (results JSON only). */
  perRound: number[];
  cpuMsPerRequestOn: number;
  cpuMsPerRequestOff: number;
  /** cpu(on) / cpu(off) - 1. */
  cpuCost: number;
  /**
   * The main thread's CPU per request, on and off: the gateway relays on that one thread,
   * so when it is the busiest, its share is what limits throughput.
   */
  mainThreadMsPerRequestOn: number;
  mainThreadMsPerRequestOff: number;
  /** Garbage-collection pauses per request, on and off. */
  gcPauseMsPerRequestOn: number;
  gcPauseMsPerRequestOff: number;
  /**
   * The side-by-side rounds (both gateways loaded at once, see side-by-side.ts): per-round
   * costs `1 - throughput(on) / throughput(off)`, their median, their mean and its 95%
   * confidence half-width. The figure to read: the noise of the machine cancels out.
   */
  sideBySide: {
    perRound: number[];
    median: number;
    mean: number;
    ci95: number;
    cpuCost: number;
    mainThreadCost: number;
    rounds: SideBySideRound[];
  };
}

/** Compares the recording gateway (`on`) with the one that does not record (`off`). */
export function recordingCost(
  on: Summary,
  off: Summary,
  rounds: { on: readonly LoadResult[]; off: readonly LoadResult[] },
  cpuOn: GatewayCpu,
  cpuOff: GatewayCpu,
  sideBySide: readonly SideBySideRound[],
  control = false,
): RecordingCost {
  const atOnce = sideBySideCosts(sideBySide);
  const cpuMsPerRequestOn = perRequest(cpuOn.cpuMs, on.completed);
  const cpuMsPerRequestOff = perRequest(cpuOff.cpuMs, off.completed);
  const perSecond = (result: LoadResult) => (result.wallMs > 0 ? result.completed / result.wallMs : Number.NaN);
  const paired = rounds.on.slice(0, rounds.off.length).map((result, i) => 1 - perSecond(result) / perSecond(rounds.off[i]!));
  return {
    off,
    control,
    throughputCost: 1 - on.throughput / off.throughput,
    throughputCostMedian: median(paired.filter(Number.isFinite)),
    rounds: paired.length,
    perRound: paired,
    cpuMsPerRequestOn,
    cpuMsPerRequestOff,
    cpuCost: cpuMsPerRequestOn / cpuMsPerRequestOff - 1,
    mainThreadMsPerRequestOn: perRequest(cpuOn.mainMs, on.completed),
    mainThreadMsPerRequestOff: perRequest(cpuOff.mainMs, off.completed),
    gcPauseMsPerRequestOn: perRequest(cpuOn.gcMs, on.completed),
    gcPauseMsPerRequestOff: perRequest(cpuOff.gcMs, off.completed),
    sideBySide: { ...atOnce, median: median(atOnce.perRound), rounds: [...sideBySide] },
  };
}

/**
 * Side-by-side windows shorter than this (median) get a warning: the last usage batch of
 * each window (up to `usage.flushIntervalMs` of records) is written after it, uncounted,
 * which only a window many batches long makes negligible.
 */
const SHORT_WINDOW_MS = 2000;

/** The median of `values` (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}ms` : 'n/a');
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');
const plus = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}ms` : 'n/a');
const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

function row(cells: readonly string[]): string {
  const widths = [16, 10, 10, 10, 10, 10, 8, 7, 7];
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 10) : cell.padStart(widths[i] ?? 10))).join(' ');
}

export function compare(direct: Summary, gateway: Summary): Pick<ModeReport, 'ratios' | 'addedMs'> {
  return {
    ratios: {
      throughput: gateway.throughput / direct.throughput,
      latencyP50: gateway.latencyP50 / direct.latencyP50,
      latencyP99: gateway.latencyP99 / direct.latencyP99,
      ttfbP50: gateway.ttfbP50 / direct.ttfbP50,
      ttfbP99: gateway.ttfbP99 / direct.ttfbP99,
    },
    addedMs: {
      latencyP50: gateway.latencyP50 - direct.latencyP50,
      latencyP99: gateway.latencyP99 - direct.latencyP99,
      ttfbP50: gateway.ttfbP50 - direct.ttfbP50,
      ttfbP99: gateway.ttfbP99 - direct.ttfbP99,
    },
  };
}

export function formatMode(report: ModeReport): string {
  const line = (s: Summary) =>
    row([
      s.target,
      s.throughput.toFixed(1),
      ms(s.latencyP50),
      ms(s.latencyP99),
      ms(s.ttfbP50),
      ms(s.ttfbP99),
      String(s.bodyBytes),
      String(s.chunks),
      `${s.errors}${s.timedOut ? '+T' : ''}`,
    ]);
  const { ratios, addedMs, gatewayProcess: gp } = report;
  const lines = [
    report.description,
    row(['', 'req/s', 'lat p50', 'lat p99', 'ttfb p50', 'ttfb p99', 'bytes', 'chunks', 'errors']),
    line(report.direct),
    line(report.gateway),
    row([
      'gateway/direct',
      ratio(ratios.throughput),
      ratio(ratios.latencyP50),
      ratio(ratios.latencyP99),
      ratio(ratios.ttfbP50),
      ratio(ratios.ttfbP99),
      '',
      '',
      '',
    ]),
    row([
      'gateway adds',
      '',
      plus(addedMs.latencyP50),
      plus(addedMs.latencyP99),
      plus(addedMs.ttfbP50),
      plus(addedMs.ttfbP99),
      '',
      '',
      '',
    ]),
    `gateway process: ${gp.cpuMsPerRequest.toFixed(3)} CPU ms/request (user ${gp.cpuUserMs.toFixed(0)} ms + system ${gp.cpuSystemMs.toFixed(0)} ms), ` +
      `${gp.cpuCores.toFixed(2)} cores busy, peak RSS ${mb(gp.peakRssBytes)}` +
      (Number.isFinite(gp.mainThreadMsPerRequest) ? `; main thread ${gp.mainThreadMsPerRequest.toFixed(3)} CPU ms/request` : '') +
      `, GC pauses ${gp.gcPauseMsPerRequest.toFixed(3)} ms/request`,
  ];
  const tail = gp.usageTail;
  if (tail.phases > 0 && tail.ms >= 0.5 * tail.phases) {
    lines.push(
      `usage written after each gateway phase's last response: ${(tail.ms / tail.phases).toFixed(1)} ms per phase, ` +
        `${((100 * tail.ms) / tail.phaseWallMs).toFixed(1)}% of the gateway's measured time (counted; longer rounds dilute it)`,
    );
  }
  const b = report.cpuBudget;
  const f = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');
  if (report.redis) lines.push(formatRedis(report.redis));
  lines.push(
    `CPU ms/request: direct = load generator ${f(b.direct.loadgenMs)} + fake ${f(b.direct.fakeMs)} = ${f(b.direct.totalMs)}; ` +
      `via gateway = load generator ${f(b.gateway.loadgenMs)} + fake ${f(b.gateway.fakeMs)} + gateway ${f(b.gateway.gatewayMs)} = ${f(b.gateway.totalMs)} ` +
      `(if CPU-bound, req/s ratio <= ${ratio(b.cpuBoundRatio)})`,
  );
  if (report.recording) {
    const r = report.recording;
    const pct = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : 'n/a');
    const windowMs = median(r.sideBySide.rounds.map((round) => round.windowMs));
    lines.splice(4, 0, line(r.off));
    lines.push(
      r.control
        ? `control (recording off in both gateways): the comparison shows ${pct(r.throughputCostMedian)} of throughput ` +
            `(median of ${r.rounds} paired rounds; ${pct(r.throughputCost)} pooled) and ${pct(r.cpuCost)} CPU per request ` +
            `(${r.cpuMsPerRequestOn.toFixed(3)} vs ${r.cpuMsPerRequestOff.toFixed(3)} CPU ms/request), its noise on this machine`
        : `usage recording costs ${pct(r.throughputCostMedian)} of throughput (median of ${r.rounds} paired rounds; ${pct(r.throughputCost)} pooled; target < 5%) ` +
            `and ${pct(r.cpuCost)} CPU per request (${r.cpuMsPerRequestOn.toFixed(3)} vs ${r.cpuMsPerRequestOff.toFixed(3)} CPU ms/request with it off)`,
      `  of which the main (relaying) thread: ${f(r.mainThreadMsPerRequestOn)} vs ${f(r.mainThreadMsPerRequestOff)} CPU ms/request ` +
        `(${pct(r.mainThreadMsPerRequestOn / r.mainThreadMsPerRequestOff - 1)}); GC pauses ${f(r.gcPauseMsPerRequestOn)} vs ${f(r.gcPauseMsPerRequestOff)} ms/request`,
      `  side by side (both gateways loaded at once, ${r.sideBySide.perRound.length} rounds): ` +
        `${r.control ? 'the comparison shows' : 'usage recording costs'} ${pct(r.sideBySide.mean)} ± ${pct(r.sideBySide.ci95)} of throughput ` +
        `(mean, 95% confidence; median ${pct(r.sideBySide.median)})${r.control ? '' : '; target < 5%'}` +
        (r.sideBySide.perRound.length < r.sideBySide.rounds.length
          ? ` (${r.sideBySide.rounds.length - r.sideBySide.perRound.length} round(s) with errors left out)`
          : '') +
        `, CPU per request ${pct(r.sideBySide.cpuCost)} (main thread ${pct(r.sideBySide.mainThreadCost)})` +
        (windowMs < SHORT_WINDOW_MS
          ? `; windows of ${windowMs.toFixed(0)} ms are too short for this figure (the usage written after each window is not counted): use rounds of several seconds`
          : ''),
    );
  }
  for (const summary of [report.direct, report.gateway, ...(report.recording ? [report.recording.off] : [])]) {
    for (const sample of summary.errorSamples) lines.push(`  ${summary.target} error: ${sample}`);
  }
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}

/** The Redis line of a mode's report. */
export function formatRedis(redis: RedisPhaseStats): string {
  const top = redis.byCommand
    .slice(0, 12)
    .map(([name, perRequest]) => `${name} ${perRequest.toFixed(2)}`)
    .join(', ');
  return (
    `redis: ${redis.commandsPerRequest.toFixed(2)} commands/request in ${redis.roundTripsPerRequest.toFixed(2)} round trips/request, ` +
    `Redis CPU ${redis.cpuMsPerRequest.toFixed(3)} ms/request (${top})`
  );
}

export { mb };

/** One of issue 3's targets, with what this run measured. */
export interface Issue3Figure {
  name: string;
  /** Where it was measured (phase). */
  measuredAt: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

/** Issue 3's four targets from the Claude phases of a `--preset issue3` run; missing phases are skipped. */
export function issue3Summary(reports: readonly ModeReport[]): Issue3Figure[] {
  const find = (mode: Mode, concurrency: number) => reports.find((r) => r.mode === mode && r.concurrency === concurrency);
  const figures: Issue3Figure[] = [];
  const c1 = find('stream', 1);
  if (c1) {
    const value = c1.addedMs.latencyP50;
    figures.push({
      name: 'added latency, median, streamed',
      measuredAt: 'stream c=1',
      value,
      unit: 'ms',
      target: '<= 1.5 ms',
      met: value <= 1.5,
    });
  }
  const c32 = find('stream', 32);
  if (c32) {
    const ratioValue = c32.ratios.throughput;
    figures.push({
      name: 'streamed throughput, gateway/direct',
      measuredAt: 'stream c=32',
      value: ratioValue,
      unit: 'x',
      target: '>= 0.35',
      met: ratioValue >= 0.35,
    });
    // CPU ms per request = CPU seconds per 1,000 requests.
    const cpu = c32.gatewayProcess.cpuMsPerRequest;
    figures.push({
      name: 'gateway CPU-seconds per 1,000 requests',
      measuredAt: 'stream c=32',
      value: cpu,
      unit: 'CPU-s',
      target: '< 2',
      met: cpu < 2,
    });
  }
  const c64 = find('stream', 64);
  if (c64) {
    const value = c64.gatewayProcess.peakRssBytes / (1024 * 1024);
    figures.push({
      name: 'gateway peak RSS',
      measuredAt: 'stream c=64',
      value,
      unit: 'MB',
      target: '< 150 MB',
      met: value < 150,
    });
  }
  return figures;
}

export function formatIssue3(figures: readonly Issue3Figure[]): string {
  const lines = [
    'issue 3 targets (Claude route, /api/v1/messages, claude-console account, keys + scheduling + usage recording on):',
  ];
  for (const f of figures) {
    const value = f.unit === 'x' ? f.value.toFixed(2) : f.value.toFixed(f.unit === 'MB' ? 1 : 2);
    lines.push(
      `  ${f.name.padEnd(40)} ${f.measuredAt.padEnd(12)} ${`${value} ${f.unit}`.padStart(12)}   target ${f.target.padEnd(10)} ${f.met ? 'met' : 'MISSED'}`,
    );
  }
  return lines.join('\n');
}

/** Formats the bench results as a plain-text table. */
import type { Summary } from './stats.js';

export interface GatewayProcessStats {
  /** Gateway CPU (user + system) per completed gateway request, in milliseconds. */
  cpuMsPerRequest: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Gateway CPU time over the gateway phases' wall time (1.0 = one core busy). */
  cpuCores: number;
  /** Highest sampled RSS during the gateway phases, in bytes. */
  peakRssBytes: number;
}

export interface ModeReport {
  mode: 'stream' | 'unary';
  description: string;
  direct: Summary;
  gateway: Summary;
  gatewayProcess: GatewayProcessStats;
  /** gateway / direct for each metric. */
  ratios: { throughput: number; latencyP50: number; latencyP99: number; ttfbP50: number; ttfbP99: number };
  /** gateway - direct in milliseconds. */
  addedMs: { latencyP50: number; latencyP99: number; ttfbP50: number; ttfbP99: number };
  /** With `--recording compare`: the gateway with usage recording on versus off. */
  recording?: RecordingCost;
  warnings: string[];
}

/** What usage recording costs: the same rounds through a gateway with recording off. */
export interface RecordingCost {
  off: Summary;
  /** 1 - throughput(on) / throughput(off): the share of throughput recording costs (negative: noise). */
  throughputCost: number;
  cpuMsPerRequestOn: number;
  cpuMsPerRequestOff: number;
  /** cpu(on) / cpu(off) - 1. */
  cpuCost: number;
}

/** Compares the recording gateway (`on`) with the one that does not record (`off`). */
export function recordingCost(on: Summary, off: Summary, cpuMsOn: number, cpuMsOff: number): RecordingCost {
  const cpuMsPerRequestOn = on.completed > 0 ? cpuMsOn / on.completed : Number.NaN;
  const cpuMsPerRequestOff = off.completed > 0 ? cpuMsOff / off.completed : Number.NaN;
  return {
    off,
    throughputCost: 1 - on.throughput / off.throughput,
    cpuMsPerRequestOn,
    cpuMsPerRequestOff,
    cpuCost: cpuMsPerRequestOn / cpuMsPerRequestOff - 1,
  };
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
    row(['gateway/direct', ratio(ratios.throughput), ratio(ratios.latencyP50), ratio(ratios.latencyP99), ratio(ratios.ttfbP50), ratio(ratios.ttfbP99), '', '', '']),
    row(['gateway adds', '', plus(addedMs.latencyP50), plus(addedMs.latencyP99), plus(addedMs.ttfbP50), plus(addedMs.ttfbP99), '', '', '']),
    `gateway process: ${gp.cpuMsPerRequest.toFixed(3)} CPU ms/request (user ${gp.cpuUserMs.toFixed(0)} ms + system ${gp.cpuSystemMs.toFixed(0)} ms), ` +
      `${gp.cpuCores.toFixed(2)} cores busy, peak RSS ${mb(gp.peakRssBytes)}`,
  ];
  if (report.recording) {
    const r = report.recording;
    const pct = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : 'n/a');
    lines.splice(4, 0, line(r.off));
    lines.push(
      `usage recording costs ${pct(r.throughputCost)} of throughput (target < 5%) and ${pct(r.cpuCost)} CPU per request ` +
        `(${r.cpuMsPerRequestOn.toFixed(3)} vs ${r.cpuMsPerRequestOff.toFixed(3)} CPU ms/request with it off)`,
    );
  }
  for (const summary of [report.direct, report.gateway, ...(report.recording ? [report.recording.off] : [])]) {
    for (const sample of summary.errorSamples) lines.push(`  ${summary.target} error: ${sample}`);
  }
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}

export { mb };

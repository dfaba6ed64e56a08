/** What a run produced, per provider, and the results file (bench/results/bench-<timestamp>.json) it is written to. */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchOptions } from './options.js';
import { repoRoot } from './processes.js';
import type { ProviderId } from './providers.js';
import type { Issue3Figure, ModeReport } from './report.js';
import type { AdminTiming } from './admin-timings.js';
import type { ScaleFixtureReport } from './scale-fixture.js';

/** What one provider's run produced. */
export interface ProviderRun {
  provider: ProviderId;
  gateway: {
    idleRssBytes: number;
    idleHeapUsedBytes: number;
    idleExternalBytes: number;
    maxRssBytes: number;
    startupMs: unknown;
  };
  reports: ModeReport[];
  /** The admin phase's timings (`--admin-samples`). */
  admin?: AdminTiming[];
  /** What the scale fixture made (`--keys`, `--accounts`, `--usage-rows`). */
  fixture?: ScaleFixtureReport;
  /** With `--store redis`: the server's used memory after the run, bytes. */
  redisUsedMemoryBytes?: number;
}

/** Writes the run's numbers, options and machine to bench/results/; returns the file's path. */
export async function writeResults(
  runs: ProviderRun[],
  options: BenchOptions,
  startedAt: Date,
  issue3: Issue3Figure[] | undefined,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const resultsDir = path.join(repoRoot, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = {
    startedAt: startedAt.toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    options,
    providers: runs.map((run) => ({ provider: run.provider, gateway: run.gateway, modes: run.reports })),
    ...(issue3 ? { issue3 } : {}),
    ...extra,
  };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}

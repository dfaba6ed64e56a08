/** The measured phases of a run (a mode at a concurrency) and the order of the targets in each round. */
import type { BenchOptions } from './options.js';
import type { Mode } from './providers.js';

/** One measured workload: a mode at a concurrency. */
export interface Phase {
  mode: Mode;
  concurrency: number;
}

/** The phases of a run: `--mode` at `--concurrency`, or the issue 3 preset's fixed list. */
export function phasesOf(options: BenchOptions): Phase[] {
  if (options.preset === 'issue3') {
    return [
      { mode: 'stream', concurrency: 1 },
      { mode: 'stream', concurrency: 32 },
      { mode: 'stream', concurrency: 64 },
      { mode: 'unary', concurrency: 32 },
    ];
  }
  const modes: Mode[] = options.mode === 'both' ? ['stream', 'unary'] : [options.mode];
  return modes.map((mode) => ({ mode, concurrency: options.concurrency }));
}

/**
 * The order of the targets in round `round`. Drift (heat, caches, the fake's and the load
 * generator's garbage after the fast direct phase) must not favour one side. Direct and
 * gateway alternate (D G, G D). With the recording-off gateway O, every two rounds each
 * gateway runs once right after direct and once right after the other gateway, and
 * every four each gateway also goes first as often: D G O, G D O, D O G, O D G. (A fixed
 * middle place for G, D G O then O G D, cost it 2-10% of throughput against O in A/A
 * runs, `--recording control`.)
 */
export function roundOrder<T>(round: number, direct: T, gateway: T, off: T | undefined): T[] {
  if (off === undefined) return round % 2 === 0 ? [direct, gateway] : [gateway, direct];
  const orders = [
    [direct, gateway, off],
    [gateway, direct, off],
    [direct, off, gateway],
    [off, direct, gateway],
  ];
  return orders[round % 4]!;
}

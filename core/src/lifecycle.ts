/**
 * Runs the interval tasks plugins registered and their shutdown hooks. A failing task
 * or hook is logged, never fatal.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { Extensions } from './plugins/registry-types.js';
import { systemClock, type Clock } from './time/clock.js';

export interface RunningLifecycle {
  stop(): Promise<void>;
}

/** Intervals run on `clock` (a test's manual clock fires them when it advances). */
export function startLifecycle(extensions: Extensions, log: Logger, clock: Clock = systemClock): RunningLifecycle {
  const timers = extensions.intervals.map((interval) => {
    let running = false;
    return clock.setInterval(() => {
      if (running) return;
      running = true;
      Promise.resolve()
        .then(interval.task)
        .catch((error: unknown) => log.error('interval task failed', { plugin: interval.pluginId, task: interval.name, error }))
        .finally(() => (running = false));
    }, interval.intervalMs);
  });
  return {
    async stop() {
      for (const timer of timers) timer.clear();
      for (const hook of extensions.shutdownHooks) {
        try {
          await hook.hook();
        } catch (error) {
          log.error('shutdown hook failed', { plugin: hook.pluginId, hook: hook.name, error });
        }
      }
    },
  };
}

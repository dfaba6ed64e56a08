/**
 * Runs the interval tasks plugins registered and their shutdown hooks. A failing task
 * or hook is logged, never fatal.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { Extensions } from './plugins/registry-types.js';

export interface RunningLifecycle {
  stop(): Promise<void>;
}

export function startLifecycle(extensions: Extensions, log: Logger): RunningLifecycle {
  const timers = extensions.intervals.map((interval) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      Promise.resolve()
        .then(interval.task)
        .catch((error: unknown) => log.error('interval task failed', { plugin: interval.pluginId, task: interval.name, error }))
        .finally(() => (running = false));
    }, interval.intervalMs);
    timer.unref();
    return timer;
  });
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
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

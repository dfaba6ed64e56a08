/**
 * Starts the usage pipeline's run-time parts once the container exists: loads and
 * publishes the price book, connects the metrics' scrape-time sources, and returns the
 * interval tasks (price book reload, retention) and what the HTTP app mounts
 * (`/metrics`, the self-service endpoints, the metrics middleware).
 */
import { isAbsolute, resolve } from 'node:path';
import type { GatewayConfig } from '../config/schema.js';
import type { Logger } from '@switchyard/plugin-api';
import { UsageJournal } from './usage-journal.js';
import type { Context, Next } from 'koa';
import type { Cradle } from '../container/cradle.js';
import type { IntervalTask } from '../plugins/registry-types.js';
import { accountLeases, accountStates } from '../metrics/account-gauges.js';
import { metricsMiddleware } from '../metrics/metrics-middleware.js';
import { metricsHandler } from '../metrics/metrics-route.js';
import type { SelfServiceDeps } from '../self-service/self-service-routes.js';

/** How often the price book re-reads its file and the admin's settings. */
const PRICE_RELOAD_MS = 60_000;

/** What the HTTP app mounts for usage and metrics. */
export interface UsageAppParts {
  /** Counts error answers; mounted after the in-flight count. */
  middleware(ctx: Context, next: Next): Promise<void>;
  /** `GET /metrics`. */
  metricsHandler(ctx: Context): Promise<void>;
  selfService: SelfServiceDeps;
}

/**
 * The usage journal's folder: `usage.journalPath` (relative to the config file), else the
 * embedded store's data folder, else (Redis) `data/journal-<port>` beside the config file:
 * the port keeps two instances on one host apart, and a restart on the same port finds
 * its journal. Undefined for none (`false`, `:memory:`, or Redis on a random port).
 */
export function usageJournalFolder(config: GatewayConfig, configDir: string): { path: string; configured: boolean } | undefined {
  const configured = config.usage.journalPath;
  if (configured === false) return undefined;
  if (configured !== undefined) return { path: resolve(configDir, configured), configured: true };
  if (config.store.type === 'embedded') {
    return config.store.path === ':memory:' ? undefined : { path: resolve(configDir, config.store.path), configured: false };
  }
  return config.server.port === 0
    ? undefined
    : { path: resolve(configDir, 'data', `journal-${config.server.port}`), configured: false };
}

/** Opens the journal; a default folder that cannot be made costs the journal, not the start. */
export function openJournal(folder: { path: string; configured: boolean }, log: Logger): UsageJournal | undefined {
  try {
    return UsageJournal.open(folder.path, log);
  } catch (error) {
    if (folder.configured) throw error;
    log.warn(
      'usage journal: the default folder cannot be used, so a crash can lose the last batch of usage records; set usage.journalPath',
      {
        path: folder.path,
        error,
      },
    );
    return undefined;
  }
}

/**
 * Loads prices, wires metrics and opens the usage journal (storing what a crash left in
 * it first); returns the interval tasks and the app parts.
 */
export async function startUsage(
  cradle: Cradle,
  options: { configDir: string },
): Promise<{ intervals: IntervalTask[]; app: UsageAppParts }> {
  const { config, priceBookService, metrics, store, registry, accounts, usageRetention, keys, timeBuckets, inFlight, clock } =
    cradle;
  const journalFolder = usageJournalFolder(config, options.configDir);
  const journal = journalFolder === undefined ? undefined : openJournal(journalFolder, cradle.log);
  if (journal !== undefined) {
    cradle.usageRecorder.useJournal(journal);
    await cradle.usageRecorder.recoverJournal();
  }
  const file = config.usage.priceFile;
  priceBookService.usePriceFile(file === undefined ? undefined : isAbsolute(file) ? file : resolve(options.configDir, file));
  await priceBookService.reload();

  const gaugeDeps = { store, registry, listAccounts: () => accounts.listRecords(), clock };
  metrics.setSources({
    activeRequests: () => inFlight.requests,
    accountStates: () => accountStates(gaugeDeps),
    accountLeases: () => accountLeases(gaugeDeps),
  });
  const intervals: IntervalTask[] = [
    {
      pluginId: 'core',
      name: 'price book reload',
      intervalMs: PRICE_RELOAD_MS,
      task: () => priceBookService.reload().then(() => undefined),
    },
    {
      pluginId: 'core',
      name: 'usage retention',
      intervalMs: config.usage.requestLog.sweepIntervalMs,
      task: () => usageRetention.run().then(() => undefined),
    },
  ];
  return {
    intervals,
    app: {
      middleware: metricsMiddleware(metrics),
      metricsHandler: metricsHandler(metrics, config.usage.metrics.token),
      selfService: {
        store,
        buckets: timeBuckets,
        keys,
        clock,
        priceBook: cradle.priceBook,
        accountTypes: () => registry.accountTypes(),
      },
    },
  };
}

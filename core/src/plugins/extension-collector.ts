/**
 * Records what plugins register through the extension points during setup, and hands
 * each plugin a {@link PluginEnv} whose extension points close when its setup returns.
 */
import type {
  AccountErrorReaction,
  AffinityProvider,
  CandidateFilter,
  ClientDetector,
  HttpClient,
  KeyPolicy,
  Logger,
  PluginEnv,
  PluginKv,
  PriceTable,
  SelectionStrategy,
  UsageEnricher,
  UsageSink,
} from '@switchyard/plugin-api';
import type { Extensions, IntervalTask, LoadedPlugin, ShutdownHook } from './registry-types.js';

/** What every plugin's env is built from. */
export interface PluginServices {
  logger: Logger;
  http: HttpClient;
  kvFor(pluginId: string): PluginKv;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

const CLOSED = 'extension points are closed after setup';

function requireName(kind: string, name: unknown): void {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${kind} needs a non-empty name`);
}

function requireFunction(kind: string, value: unknown): void {
  if (typeof value !== 'function') throw new TypeError(`${kind} needs a function`);
}

/** Collects registrations from every plugin's setup; `problems` gathers misuse that is not an exception. */
export class ExtensionCollector {
  readonly extensions: Mutable<Extensions> = {
    filters: [],
    affinities: [],
    errorReactions: [],
    strategy: undefined,
    policies: [],
    clientDetectors: [],
    enrichers: [],
    sinks: [],
    intervals: [],
    shutdownHooks: [],
  };
  /** Prices each plugin added with `addPrices`, by plugin id, in call order. */
  readonly addedPrices = new Map<string, PriceTable[]>();
  readonly problems: string[] = [];
  private strategyOwner: string | undefined;

  /**
   * Builds the env handed to `loaded.plugin.setup`. Call `close()` when setup returned:
   * from then on every extension point throws `extension points are closed after setup`.
   */
  envFor(loaded: LoadedPlugin, services: PluginServices): { env: PluginEnv<unknown>; close(): void } {
    const pluginId = loaded.plugin.id;
    let open = true;
    const guard =
      <A extends unknown[]>(register: (...args: A) => void) =>
      (...args: A): void => {
        if (!open) throw new Error(CLOSED);
        register(...args);
      };
    const x = this.extensions;
    const env: PluginEnv<unknown> = Object.freeze({
      pluginId,
      options: loaded.options,
      log: services.logger.child({ plugin: pluginId }),
      http: services.http,
      kv: services.kvFor(pluginId),
      scheduler: Object.freeze({
        addFilter: guard((filter: CandidateFilter) => {
          requireFunction('addFilter', filter?.filter);
          x.filters.push(filter);
        }),
        addAffinity: guard((provider: AffinityProvider) => {
          requireFunction('addAffinity', provider?.key);
          x.affinities.push(provider);
        }),
        onAccountError: guard((reaction: AccountErrorReaction) => {
          requireFunction('onAccountError', reaction);
          x.errorReactions.push(reaction);
        }),
        setStrategy: guard((strategy: SelectionStrategy) => {
          requireFunction('setStrategy', strategy?.order);
          if (this.strategyOwner !== undefined && this.strategyOwner !== pluginId) {
            this.problems.push(
              `plugin "${pluginId}": setStrategy: the selection strategy is already set by plugin "${this.strategyOwner}"`,
            );
            return;
          }
          this.strategyOwner = pluginId;
          x.strategy = strategy;
        }),
      }),
      keys: Object.freeze({
        addPolicy: guard((policy: KeyPolicy) => {
          requireFunction('addPolicy', policy?.check);
          x.policies.push(policy);
        }),
        addClientDetector: guard((detector: ClientDetector) => {
          requireFunction('addClientDetector', detector?.matches);
          x.clientDetectors.push(detector);
        }),
      }),
      usage: Object.freeze({
        addEnricher: guard((enricher: UsageEnricher) => {
          requireFunction('addEnricher', enricher);
          x.enrichers.push(enricher);
        }),
        addSink: guard((sink: UsageSink) => {
          requireFunction('addSink', sink?.write);
          x.sinks.push(sink);
        }),
        addPrices: guard((table: PriceTable) => {
          if (table === null || typeof table !== 'object') throw new TypeError('addPrices needs a price table object');
          const tables = this.addedPrices.get(pluginId) ?? [];
          tables.push(table);
          this.addedPrices.set(pluginId, tables);
        }),
      }),
      lifecycle: Object.freeze({
        every: guard((name: string, intervalMs: number, task: IntervalTask['task']) => {
          requireName('every', name);
          requireFunction('every', task);
          if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new TypeError('every needs a positive intervalMs');
          x.intervals.push(Object.freeze({ pluginId, name, intervalMs, task }));
        }),
        onShutdown: guard((name: string, hook: ShutdownHook['hook']) => {
          requireName('onShutdown', name);
          requireFunction('onShutdown', hook);
          x.shutdownHooks.push(Object.freeze({ pluginId, name, hook }));
        }),
      }),
    });
    return { env, close: () => void (open = false) };
  }
}

/**
 * The gateway's awilix container: every long-lived service, registered explicitly and
 * resolved by name with types (the cradle).
 */
import { asFunction, asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import type { Logger, PluginKv } from '../plugin-api/index.js';
import type { GatewayConfig } from '../config/schema.js';
import type { Store } from '../store/types.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { GatewaySecrets } from '../security/secrets.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { KeyService } from '../keys/key-service.js';
import { AccountService } from '../accounts/account-service.js';
import { PriceBook } from '../usage/price-book.js';
import { UsageRecorder } from '../usage/usage-recorder.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { RelayService } from '../relay/relay-service.js';

/** Every service in the container, by name. */
export interface Cradle {
  config: GatewayConfig;
  log: Logger;
  store: Store;
  registry: PluginRegistry;
  secrets: GatewaySecrets;
  http: UpstreamHttp;
  pluginKv: (pluginId: string) => PluginKv;
  keys: KeyService;
  accounts: AccountService;
  priceBook: PriceBook;
  usageRecorder: UsageRecorder;
  scheduler: Scheduler;
  relay: RelayService;
}

/** The services built before the container (start-up order matters for them). */
export type CradleBase = Pick<Cradle, 'config' | 'log' | 'store' | 'registry' | 'secrets' | 'http' | 'pluginKv'>;

export function createGatewayContainer(base: CradleBase): AwilixContainer<Cradle> {
  const container = createContainer<Cradle>({ injectionMode: InjectionMode.PROXY, strict: true });
  container.register({
    config: asValue(base.config),
    log: asValue(base.log),
    store: asValue(base.store),
    registry: asValue(base.registry),
    secrets: asValue(base.secrets),
    http: asValue(base.http),
    pluginKv: asValue(base.pluginKv),
    keys: asFunction(
      ({ store, secrets, config, log }: Cradle) => new KeyService({ store, secrets, keyPrefix: config.security.keyPrefix, log }),
    ).singleton(),
    accounts: asFunction(({ store, secrets, registry, log }: Cradle) => new AccountService({ store, secrets, registry, log })).singleton(),
    priceBook: asFunction(({ registry }: Cradle) => new PriceBook(registry.prices)).singleton(),
    usageRecorder: asFunction(
      ({ store, registry, log }: Cradle) =>
        new UsageRecorder({ repository: store.usage, enrichers: registry.extensions.enrichers, sinks: registry.extensions.sinks, log }),
    ).singleton(),
    scheduler: asFunction(
      ({ store, registry, config, log, accounts }: Cradle) =>
        new Scheduler({ store, registry, config, log, listAccounts: () => accounts.listRecords() }),
    ).singleton(),
    relay: asFunction((cradle: Cradle) => new RelayService(cradle)).singleton(),
  });
  return container;
}

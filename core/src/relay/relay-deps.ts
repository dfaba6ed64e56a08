import type { Logger, PluginKv } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import type { Store } from '../store/types.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { PriceBook } from '../usage/price-book.js';
import type { AccountResolver } from './resolved-account.js';
import type { InFlight } from './in-flight.js';
import type { Clock } from '../time/clock.js';
import type { AccountEvents } from '../notifications/account-events.js';

/** The services the relay pipeline uses (resolved from the container). */
export interface RelayDeps {
  config: GatewayConfig;
  log: Logger;
  store: Store;
  registry: PluginRegistry;
  accounts: AccountResolver;
  http: UpstreamHttp;
  usageRecorder: UsageRecorder;
  priceBook: PriceBook;
  pluginKv(pluginId: string): PluginKv;
  inFlight: Pick<InFlight, 'hold'>;
  /** First-byte and end times of a request (its record's latency); default the system clock. */
  clock?: Clock;
  /** Told when refreshing an account's credentials fails (notifications); optional. */
  accountEvents?: Pick<AccountEvents, 'tokenRefreshFailed'>;
}

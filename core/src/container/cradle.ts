/**
 * The gateway's awilix container: every long-lived service, registered explicitly and
 * resolved by name with types (the cradle).
 */
import { asFunction, asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix/browser';
import type { Logger, PluginKv } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import type { Store } from '../store/types.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { GatewaySecrets } from '../security/secrets.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import { LegacyKeyHashes } from '../keys/legacy-key-hashes.js';
import { KeyService } from '../keys/key-service.js';
import { AccountService } from '../accounts/account-service.js';
import { PriceBook } from '../usage/price-book.js';
import { UsageRecorder } from '../usage/usage-recorder.js';
import { PriceBookService } from '../usage/price-book-service.js';
import { TimeBuckets } from '../usage/time-buckets.js';
import { AggregatesSink } from '../usage/aggregates-sink.js';
import { UsageRetentionJob } from '../usage/usage-retention-job.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { metricsSink } from '../metrics/metrics-sink.js';
import { timedUpstreamHttp } from '../metrics/upstream-timing.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { RelayService } from '../relay/relay-service.js';
import { InFlight } from '../relay/in-flight.js';
import { KeyAdmission } from '../limits/key-admission.js';
import { AdminSessions } from '../auth/admin-sessions.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { AuthFlowService } from '../admin-api/auth-flow-service.js';
import type { Clock } from '../time/clock.js';
import { PendingWrites } from '../app/pending-writes.js';
import { UserService } from '../users/user-service.js';
import { SignIn } from '../auth/sign-in.js';
import { LdapDirectory } from '../auth/ldap-directory.js';
import { Invites } from '../users/invites.js';
import { Notifications } from '../notifications/notifications.js';
import { AccountChecks } from '../checks/account-checks.js';
import { AccountCheckRunner } from '../checks/account-check-runner.js';
import { CardService } from '../cards/card-service.js';
import { StoredTargets } from '../notifications/stored-targets.js';

/** Every service in the container, by name. */
export interface Cradle {
  config: GatewayConfig;
  /** The time of day every service reads (see time/clock.ts). */
  clock: Clock;
  /** Writes made without waiting for them, for `Gateway.settled()`. */
  pendingWrites: PendingWrites;
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
  priceBookService: PriceBookService;
  timeBuckets: TimeBuckets;
  metrics: GatewayMetrics;
  usageRetention: UsageRetentionJob;
  scheduler: Scheduler;
  relay: RelayService;
  /** Requests and relayed answers in flight (metrics, /health, shutdown). */
  inFlight: InFlight;
  /** Key limits around the relay: check, queue, admit, settle. */
  admission: KeyAdmission;
  adminSessions: AdminSessions;
  loginThrottle: LoginThrottle;
  authFlows: AuthFlowService;
  /** Admins and portal users, and the keys users make for themselves. */
  users: UserService;
  /** Checks sign-ins: local passwords, else the LDAP directory when configured. */
  signIn: SignIn;
  invites: Invites;
  /** Events sent to webhooks, chat robots and e-mail. */
  notifications: Notifications;
  /** Account checks: run, record, policy; `onCheck` tells listeners of every finished check. */
  accountChecks: AccountChecks;
  /** Runs the scheduled checks on one instance at a time (a lifecycle interval). */
  checkRunner: AccountCheckRunner;
  /** Quota cards: batches, revocation, redemption. */
  cards: CardService;
  /** The notification targets added in the admin (secrets encrypted). */
  notificationTargets: StoredTargets;
}

/** The services built before the container (start-up order matters for them). */
export type CradleBase = Pick<Cradle, 'config' | 'clock' | 'log' | 'store' | 'registry' | 'secrets' | 'http' | 'pluginKv'>;

export function createGatewayContainer(base: CradleBase): AwilixContainer<Cradle> {
  const container = createContainer<Cradle>({ injectionMode: InjectionMode.PROXY, strict: true });
  container.register({
    config: asValue(base.config),
    clock: asValue(base.clock),
    pendingWrites: asFunction(() => new PendingWrites()).singleton(),
    log: asValue(base.log),
    store: asValue(base.store),
    registry: asValue(base.registry),
    secrets: asValue(base.secrets),
    // Timed per request, so the gateway's own overhead can be told apart (metrics/upstream-timing).
    http: asValue(timedUpstreamHttp(base.http)),
    pluginKv: asValue(base.pluginKv),
    keys: asFunction(
      ({ store, secrets, config, log, clock, pendingWrites }: Cradle) =>
        new KeyService({
          store,
          secrets,
          keyPrefix: config.security.keyPrefix,
          log,
          now: () => clock.now(),
          pending: pendingWrites,
          legacy: new LegacyKeyHashes({ settings: store.settings, cipherKey: secrets.cipherKey, now: () => clock.now() }),
        }),
    ).singleton(),
    accounts: asFunction(
      ({ store, secrets, registry, log }: Cradle) => new AccountService({ store, secrets, registry, log }),
    ).singleton(),
    priceBook: asFunction(
      ({ registry, config }: Cradle) =>
        new PriceBook(registry.prices, config.usage.fallbackPrice ? { fallback: config.usage.fallbackPrice } : {}),
    ).singleton(),
    priceBookService: asFunction(
      ({ priceBook, store, log, registry, config }: Cradle) =>
        new PriceBookService({
          book: priceBook,
          store,
          log,
          pluginPrices: registry.prices,
          ...(config.usage.fallbackPrice ? { fallback: config.usage.fallbackPrice } : {}),
          costMultiplier: config.usage.costMultiplier,
          pluginCostMultipliers: config.usage.pluginCostMultipliers,
        }),
    ).singleton(),
    timeBuckets: asFunction(({ config }: Cradle) => new TimeBuckets(config.usage.timeZone)).singleton(),
    metrics: asFunction(
      ({ config, clock }: Cradle) =>
        new GatewayMetrics({ realtimeWindowMinutes: config.usage.metrics.realtimeWindowMinutes, now: () => clock.now() }),
    ).singleton(),
    usageRetention: asFunction(
      ({ store, log, config, clock }: Cradle) =>
        new UsageRetentionJob({ store, log, retentionHours: config.usage.requestLog.retentionHours, clock }),
    ).singleton(),
    usageRecorder: asFunction(({ store, registry, log, config, metrics, timeBuckets }: Cradle) => {
      const recorder = new UsageRecorder({
        repository: store.usage,
        enrichers: registry.extensions.enrichers,
        sinks: [
          new AggregatesSink({
            repository: store.usageAggregates,
            buckets: timeBuckets,
            retention: config.usage.aggregates,
            log,
            flushIntervalMs: config.usage.aggregates.flushIntervalMs,
          }),
          metricsSink(metrics),
          ...registry.extensions.sinks,
        ],
        log,
        flushIntervalMs: config.usage.flushIntervalMs,
        enabled: config.usage.record,
        onSinkFailure: (sink) => metrics.sinkFailures.inc({ sink }),
        onRecordsDropped: (count, reason) => metrics.usageDropped.inc({ reason }, count),
      });
      return recorder;
    })
      .singleton()
      .disposer((recorder) => recorder.closeJournal()),
    scheduler: asFunction(
      ({ store, registry, config, log, accounts, clock, pendingWrites, notifications }: Cradle) =>
        new Scheduler({
          store,
          registry,
          config,
          log,
          listAccounts: () => accounts.listRecords(),
          clock,
          pending: pendingWrites,
          events: notifications,
        }),
    ).singleton(),
    // Resolved once into a plain object: the cradle is a proxy that resolves on every property read.
    relay: asFunction(
      ({
        config,
        log,
        store,
        registry,
        scheduler,
        accounts,
        http,
        usageRecorder,
        priceBook,
        pluginKv,
        admission,
        inFlight,
        clock,
        notifications,
      }: Cradle) =>
        new RelayService({
          config,
          log,
          store,
          registry,
          scheduler,
          accounts,
          http,
          usageRecorder,
          priceBook,
          pluginKv,
          admission,
          inFlight,
          clock,
          accountEvents: notifications,
        }),
    ).singleton(),
    inFlight: asFunction(() => new InFlight()).singleton(),
    admission: asFunction(
      ({ store, config, registry, scheduler, clock }: Cradle) =>
        new KeyAdmission({
          store,
          config,
          registry,
          clock,
          defaultQueue: (concurrency) => scheduler.settings.defaultQueue(concurrency),
        }),
    ).singleton(),
    adminSessions: asFunction(
      ({ store, secrets, config, clock }: Cradle) =>
        new AdminSessions({
          store,
          now: () => clock.now(),
          sessionKey: secrets.sessionKey,
          ttlMs: config.admin.sessionTtlMs ?? 12 * 3_600_000,
          rotateMs: config.admin.sessionRotateMs ?? 24 * 3_600_000,
        }),
    ).singleton(),
    loginThrottle: asFunction(
      ({ store, config }: Cradle) =>
        new LoginThrottle({
          store,
          maxFailuresPerUser: config.admin.loginMaxFailuresPerUser ?? 5,
          maxFailuresPerIp: config.admin.loginMaxFailuresPerIp ?? 20,
          windowMs: config.admin.loginWindowMs ?? 15 * 60_000,
        }),
    ).singleton(),
    authFlows: asFunction(
      ({ store, secrets, registry, accounts, http, log }: Cradle) =>
        new AuthFlowService({ store, secrets, registry, accounts, http, log }),
    ).singleton(),
    users: asFunction(
      ({ store, keys, clock, log, config }: Cradle) =>
        new UserService({ store, keys, clock, log, policyDefaults: config.auth.users }),
    ).singleton(),
    signIn: asFunction(
      ({ store, users, log, config }: Cradle) =>
        new SignIn({ store, users, log, directory: config.auth.ldap ? new LdapDirectory(config.auth.ldap, log) : undefined }),
    ).singleton(),
    invites: asFunction(({ store, clock }: Cradle) => new Invites(store, () => clock.now())).singleton(),
    notificationTargets: asFunction(
      ({ store, secrets, clock }: Cradle) => new StoredTargets({ store, cipherKey: secrets.cipherKey, now: () => clock.now() }),
    ).singleton(),
    notifications: asFunction(
      ({ config, store, clock, log, notificationTargets }: Cradle) =>
        new Notifications({
          config: config.notifications,
          store,
          clock,
          log,
          storedTargets: () => notificationTargets.list(),
        }),
    )
      .singleton()
      .disposer((notifications) => notifications.close()),
    accountChecks: asFunction(
      ({ store, registry, accounts, http, pluginKv, log, scheduler, clock }: Cradle) =>
        new AccountChecks({
          store,
          registry,
          accounts,
          http,
          pluginKv,
          log,
          control: scheduler.control,
          settings: scheduler.settings,
          clock,
        }),
    ).singleton(),
    checkRunner: asFunction(
      ({ accountChecks, accounts, registry, store, clock, log, config }: Cradle) =>
        new AccountCheckRunner({ checks: accountChecks, accounts, registry, store, clock, log, tickMs: config.checks.tickMs }),
    ).singleton(),
    cards: asFunction(
      ({ store, secrets, config, clock, log, keys }: Cradle) =>
        new CardService({ store, secrets, config: config.cards, clock, log, onKeyChanged: (id) => keys.forget(id) }),
    ).singleton(),
  });
  return container;
}

/**
 * `createGateway()`: assembles a gateway from a config, in start-up order: config ->
 * logger -> store (migrated) -> secrets -> plugins (declare, then set up) -> container
 * -> declared accounts, groups and keys -> first admin -> HTTP app. `listen()` starts
 * serving; `close()` stops gracefully.
 */
import { createServer, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSchema, type GatewayConfig } from './config/schema.js';
import { ConfigError } from './config/config-error.js';
import { formatSchemaIssues } from './config/format-schema-issues.js';
import { createLoggerHandle } from './logging/create-logger.js';
import { openLogFile } from './logging/open-log-file.js';
import { createStore } from './store/create-store.js';
import { deriveSecrets, resolveEncryptionKey } from './security/secrets.js';
import { UpstreamHttp } from './http/upstream-http.js';
import { declarePlugins } from './plugins/declare-plugins.js';
import { setupPlugins } from './plugins/setup-plugins.js';
import { pluginKvFor } from './plugins/plugin-kv.js';
import { createGatewayContainer } from './container/cradle.js';
import { limitsUsageSink } from './limits/limits-usage-sink.js';
import { deployDeclared } from './config/deploy-declared.js';
import { reloadDeclared, type ReloadOutcome } from './config/reload-declared.js';
import { findUnservableAccounts } from './accounts/unservable-accounts.js';
import { knownModelIds, listKeyModels } from './accounts/key-model-list.js';
import { claimedModelPrefixes } from './accounts/model-prefix-claims.js';
import { ensureFirstAdmin } from './auth/admin-bootstrap.js';
import { createApp } from './app/create-app.js';
import { lazyAdminMiddleware } from './admin-api/lazy-admin.js';
import { startLifecycle } from './lifecycle.js';
import { startUsage } from './usage/start-usage.js';
import { BodyBudget } from './app/body-budget.js';
import { RefusalRecorder } from './usage/refusal-recorder.js';
import { answerClientError } from './app/answer-client-error.js';
import { deferContinue } from './app/expect-continue.js';
import type { Gateway, GatewayOptions } from './gateway-types.js';
import { probeAccount } from './accounts/probe-account.js';
import { systemClock } from './time/clock.js';
import { ErrorTap } from './notifications/error-tap.js';

const VERSION: string = (() => {
  try {
    const file = resolve(dirname(fileURLToPath(import.meta.url)), '../package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

/**
 * How long a client may take to send a request: Node answers 408 and closes the
 * connection beyond. Only receiving is bounded; once the request is in, its response may
 * stream for as long as it takes (Node stops watching a request when its body is
 * complete). Expiry is checked every quarter of the shorter bound, so a request is cut
 * between 1 and 1.25 times its bound.
 */
function receivingBounds(server: GatewayConfig['server']): ServerOptions {
  const headersTimeout = Math.min(server.headersTimeoutMs, server.requestTimeoutMs);
  return {
    requestTimeout: server.requestTimeoutMs,
    headersTimeout,
    connectionsCheckingInterval: Math.max(25, Math.min(30_000, Math.floor(headersTimeout / 4))),
  };
}

function validated(input: GatewayOptions['config']): GatewayConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(formatSchemaIssues(parsed.error.issues));
  return parsed.data;
}

/** Builds a gateway. Throws `ConfigError` or `PluginLoadError` listing every problem. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const config = validated(options.config);
  const configDir = options.configDir ?? process.cwd();
  const rootDir = options.rootDir ?? process.cwd();
  // Every error logged is also a `gateway.error` notification (once the notifications exist).
  const errorTap = new ErrorTap();
  const logFile = config.logging.file ? await openLogFile(config.logging.file, configDir) : undefined;
  const logger = createLoggerHandle({
    level: config.logging.level,
    console: config.logging.console,
    ...(options.logSink ? { sink: options.logSink } : {}),
    ...(logFile ? { transports: [logFile] } : {}),
  });
  const log = errorTap.wrap(logger.log);
  const print = options.print ?? ((lines: readonly string[]) => process.stdout.write(`${lines.join('\n')}\n`));

  const clock = options.clock ?? systemClock;
  const store = await createStore(config.store, { baseDir: configDir, log, clock });
  const http = new UpstreamHttp(config.server.timeouts);
  try {
    const dataDir =
      config.store.type === 'embedded'
        ? config.store.path === ':memory:' || isAbsolute(config.store.path)
          ? config.store.path
          : resolve(configDir, config.store.path)
        : undefined;
    const encryptionKey = await resolveEncryptionKey({
      ...(config.security.encryptionKey ? { configured: config.security.encryptionKey } : {}),
      storeKind: store.kind,
      ...(dataDir ? { dataDir } : {}),
      log,
    });
    const secrets = await deriveSecrets(encryptionKey);
    const pluginKv = (pluginId: string) => pluginKvFor(store.pluginKv, pluginId);
    const declared = await declarePlugins({
      entries: config.plugins,
      pluginOptions: config.pluginOptions,
      ...(options.plugins ? { inline: options.plugins } : {}),
      rootDir,
      configDir,
    });
    const registry = await setupPlugins(declared, { logger: log, http: http.client(), kvFor: pluginKv });
    const container = createGatewayContainer({ config, clock, log, store, registry, secrets, http, pluginKv });
    const { keys, accounts, relay, usageRecorder, inFlight } = container.cradle;
    const { admission, notifications } = container.cradle;
    errorTap.listener = (message, fields) => notifications.gatewayError(message, fields);
    // A failed scheduled check is announced (once per change); any passing check is a recovery.
    container.cradle.accountChecks.onCheck(({ accountId, accountName, accountType, entry }) => {
      const account = { id: accountId, name: accountName, type: accountType };
      if (entry.ok) notifications.accountCheckPassed(account);
      else if (entry.trigger === 'schedule')
        notifications.accountCheckFailed(account, { message: entry.message ?? 'check failed' });
    });
    usageRecorder.addSink(
      limitsUsageSink({
        meters: store.meters,
        getKey: (id) => keys.get(id),
        log,
        onCharged: (id) => admission.settle(id),
        afterCharge: (key, limits) => notifications.keyCharged(key, limits),
      }),
    );
    const usage = await startUsage(container.cradle, { configDir });
    // The OpenTelemetry SDK is loaded only when traces are configured.
    const tracing = config.tracing
      ? (await import('./tracing/start-tracing.js')).startTracing(config.tracing, { version: VERSION, log })
      : undefined;
    if (tracing) usageRecorder.addSink(tracing.sink);

    const report = await deployDeclared({ config, keys, accounts, store, log });
    log.info('declared configuration applied', { ...report });
    for (const { account, reason } of findUnservableAccounts(registry, await accounts.listRecords())) {
      log.warn('account can serve no request', { account, reason });
    }
    await ensureFirstAdmin({ store, config, log, print });
    const knownIds = knownModelIds(registry);
    const claimedPrefixes = claimedModelPrefixes(registry.accountTypes());

    let shuttingDown = false;
    const startedAt = Date.now();
    const app = createApp({
      registry,
      relay,
      admission,
      keys,
      log,
      bodyLimitMb: config.server.bodyLimitMb,
      bodyBudget: new BodyBudget(Math.floor(config.server.maxBufferedBodyMb * 1024 * 1024)),
      refusals: new RefusalRecorder({ config, priceBook: container.cradle.priceBook, usageRecorder, log, clock }),
      clock,
      listModels: async (protocol, key) => {
        const controls = await container.cradle.scheduler.control.all();
        return listKeyModels({
          registry,
          knownIds,
          accounts: await accounts.listRecords(),
          protocol,
          isDedicated: (id) => controls.get(id)?.dedicated === true,
          view: (record) => accounts.resolveRecord(record).view,
          limits: key ? admission.limitsOf(key) : undefined,
          claimedPrefixes,
        });
      },
      store,
      accounts,
      version: VERSION,
      startedAt,
      activeStreams: () => inFlight.streams,
      activeRequests: () => inFlight.requests,
      trustProxy: config.server.trustProxy,
      isShuttingDown: () => shuttingDown,
      inFlight,
      usage: usage.app,
      cards: { cards: container.cradle.cards, keys, clock },
      admin: lazyAdminMiddleware(async () => {
        const { createAdminMiddleware, defaultAdminStaticDir } = await import('./admin-api/index.js');
        return createAdminMiddleware({
          container,
          staticDir: config.admin.staticDir ? resolve(configDir, config.admin.staticDir) : defaultAdminStaticDir(),
          version: VERSION,
        });
      }),
    });

    notifications.start();
    let server: Server | undefined;
    let url: string | undefined;
    const { checkRunner } = container.cradle;
    const lifecycle = startLifecycle(
      {
        ...registry.extensions,
        intervals: [
          ...registry.extensions.intervals,
          ...usage.intervals,
          {
            pluginId: 'core',
            name: 'account checks',
            intervalMs: config.checks.tickMs,
            task: () => checkRunner.runDue().then(() => undefined),
          },
        ],
        shutdownHooks: [
          ...registry.extensions.shutdownHooks,
          { pluginId: 'core', name: 'account check runner lease', hook: () => checkRunner.release() },
        ],
      },
      log,
      clock,
    );
    let closing: Promise<void> | undefined;
    let reloading: Promise<unknown> = Promise.resolve();
    const reload = async (): Promise<ReloadOutcome> => {
      if (shuttingDown) return { ok: false, problems: ['the gateway is stopping'] };
      if (!options.configFile) {
        log.error('config reload failed; the gateway was started without a config file');
        return { ok: false, problems: ['the gateway was started without a config file'] };
      }
      const file = options.configFile;
      return reloadDeclared({ file, ...(options.env ? { env: options.env } : {}), running: config, keys, accounts, store, log });
    };

    const close = async (): Promise<void> => {
      shuttingDown = true;
      if (server) {
        const current = server;
        const stopped = new Promise<void>((done) => current.close(() => done()));
        current.closeIdleConnections();
        const timeout = new Promise<'timeout'>((done) => setTimeout(done, config.server.shutdownTimeoutMs, 'timeout').unref());
        if ((await Promise.race([inFlight.idle().then(() => 'idle' as const), timeout])) === 'timeout') {
          log.warn('shutdown timeout reached; closing remaining connections');
        }
        current.closeAllConnections();
        await stopped;
        await inFlight.drained();
      }
      await usageRecorder.flush();
      await tracing?.shutdown();
      // The notifications those last requests caused are handed over (retries still waiting are dropped).
      await notifications.settled();
      await lifecycle.stop();
      await container.dispose();
      await http.close();
      await store.close();
      log.info('gateway stopped');
      await logger.close();
    };

    return {
      config,
      store,
      registry,
      get url() {
        return url;
      },
      async listen(port = config.server.port, host = config.server.host) {
        // Koa's handler answers its own errors (ctx.onerror), so its promise is not awaited.
        const handle = app.callback();
        server = createServer(receivingBounds(config.server), (req, res) => void handle(req, res));
        server.on('clientError', answerClientError(log));
        deferContinue(server);
        await new Promise<void>((done, fail) => {
          server!.once('error', fail);
          server!.listen(port, host, () => done());
        });
        const address = server.address() as AddressInfo;
        const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
        url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
        log.info('gateway listening', { url, plugins: registry.plugins.map((p) => p.plugin.id), store: store.kind });
        return url;
      },
      close: () => (closing ??= close()),
      flushUsage: () => usageRecorder.flush(),
      async settled() {
        // Answers in flight record their usage when they end; the writes made without
        // waiting may start more (a binding after an answer): settle until nothing is left.
        await inFlight.idle();
        await inFlight.drained();
        await container.cradle.pendingWrites.settled();
        await usageRecorder.flush();
        await container.cradle.pendingWrites.settled();
        await container.cradle.notifications.settled();
      },
      setUsageRecording: (on) => usageRecorder.setEnabled(on),
      async createKey(input) {
        const created = await keys.create({ ...input, source: 'admin' });
        return { id: created.record.id, key: created.plaintext };
      },
      async createAccount(input) {
        const summary = await accounts.create({ ...input, source: 'admin' });
        return { id: summary.id };
      },
      onAccountCheck: (listener) => container.cradle.accountChecks.onCheck(listener),
      reload() {
        const next = reloading.then(reload, reload);
        reloading = next;
        return next;
      },
      async probeAccount(id) {
        const outcome = await probeAccount(container.cradle, id);
        if (outcome.status === 'probed') return outcome.result;
        throw new Error(
          outcome.status === 'no-account'
            ? `no account ${id}`
            : outcome.status === 'no-account-type'
              ? `account ${id}: account type ${outcome.type} is not loaded`
              : `account ${id}: account type ${outcome.type} has no probe`,
        );
      },
    };
  } catch (error) {
    await http.close();
    await store.close();
    await logger.close();
    throw error;
  }
}

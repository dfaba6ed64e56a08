/** The bench's options, from argv (`--requests 300`) or the environment (`BENCH_REQUESTS=300`); argv wins. */
import { parseArgs } from 'node:util';
import { PROVIDER_IDS, type ProviderId } from './providers.js';

export interface BenchOptions {
  /** Measured requests per target and phase (split over the rounds). */
  requests: number;
  concurrency: number;
  /** Delta events per streamed response. */
  events: number;
  /** Characters per delta event's text. */
  eventBytes: number;
  /** Milliseconds between two upstream events. */
  delayMs: number;
  /** Unmeasured requests per target and mode before the first round. */
  warmup: number;
  /** Direct and gateway alternate this many times per mode. */
  rounds: number;
  /** Hard wall-clock cap of the whole run, in seconds. */
  timeoutS: number;
  /** The gateway's log level (`info` logs a line per request). */
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** How the gateway gets the echo plugin. */
  plugin: 'inline' | 'package';
  mode: 'both' | 'stream' | 'unary';
  /** Run the gateway from TypeScript sources through tsx, or from the build output (`npm run build` first). */
  gatewayFrom: 'src' | 'dist';
  /** Write a V8 CPU profile of the gateway child to bench/results/profiles/. */
  cpuProf: boolean;
  /** Extra Node/V8 flags for the gateway child (e.g. heap sizing), split on spaces. */
  nodeArgs: string[];
  /** Start the gateway child without the launch settings of core/bin/node-settings.json. */
  stockNode: boolean;
  /**
   * Usage recording in the gateway: `on`, `off` (config `usage.record: false`), or
   * `compare`: a second gateway with recording off runs the same rounds, and the report
   * prints what recording costs in throughput and CPU; `control`: the same as compare
   * with recording off in both gateways, so the "cost" it prints is the comparison's
   * own noise (an A/A test).
   */
  recording: 'on' | 'off' | 'compare' | 'control';
  /** The routes measured, one after the other, each with its own gateway child(ren). */
  providers: ProviderId[];
  /**
   * `issue3`: the measurements issue 3 asks for on the Claude route (streamed c=1, c=32,
   * c=64, unary c=32), with a summary against its targets; see README. Undefined: the
   * ordinary run (`mode` at `concurrency`).
   */
  preset?: 'issue3';
  /**
   * `--pair a,b`: instead of the direct/gateway phases, the two routes' gateways loaded
   * side by side (provider-pair.ts), reporting b's CPU per request against a's.
   */
  pair?: [ProviderId, ProviderId];
  /** The gateway's store: embedded (SQLite in a temp dir) or a redis-server the bench starts. */
  store: 'embedded' | 'redis';
  /** Client keys in the store, the bench key included (scale-fixture.ts). */
  keys: number;
  /** Accounts in the store, the bench account included; the others cannot serve the bench's requests. */
  accounts: number;
  /** Usage records pre-filled as history (bulk-written through the store), spread over `usageDays`. */
  usageRows: number;
  usageDays: number;
  /** Times of the admin's dashboard, usage summary and request log taken after the load phases, per endpoint. */
  adminSamples: number;
  /** `--cold-start N`: N gateway starts from dist (cold-start.ts) instead of the direct/gateway phases; 0: off. */
  coldStart: number;
  /** With `--cold-start`: requests per warm-up batch, and how many batches. */
  coldBatch: number;
  coldBatches: number;
  help: boolean;
}

const INTEGER_OPTIONS = [
  'requests',
  'concurrency',
  'events',
  'event-bytes',
  'delay-ms',
  'warmup',
  'rounds',
  'timeout-s',
  'keys',
  'accounts',
  'usage-rows',
  'usage-days',
  'admin-samples',
  'cold-start',
  'cold-batch',
  'cold-batches',
] as const;

export const USAGE = `npm run bench -- [options]      (each option also as env BENCH_<NAME>, e.g. BENCH_REQUESTS=300)

  --requests N      measured requests per target and mode     (default 2000)
  --concurrency N   requests in flight at once                 (default 16)
  --events N        delta events per streamed response         (default 50)
  --event-bytes N   characters of text per delta event         (default 64)
  --delay-ms N      upstream delay between events, ms          (default 0)
  --warmup N        unmeasured requests per target and mode    (default 2000)
  --rounds N        direct/gateway alternations per mode       (default 4)
  --timeout-s N     hard cap for the whole run, seconds        (default 600)
  --log-level L     gateway log level: error|warn|info|debug   (default warn)
  --plugin P        inline (plugin object) | package (config entry)  (default inline)
  --mode M          both | stream | unary                      (default both)
  --gateway-from F  src (tsx, no build needed) | dist (needs npm run build)  (default src)
  --cpu-prof        write a V8 CPU profile of the gateway to bench/results/profiles/
  --node-args "F"   extra Node/V8 flags for the gateway, e.g. "--max-semi-space-size=16"
  --stock-node      start the gateway without the launch settings of npm start and the
                    Docker image (core/bin/node-settings.json)
  --recording R     usage recording: on | off | compare (second gateway, recording off)
                    | control (compare with recording off in both: the noise floor)  (default compare)
  --provider P      route(s) measured: echo | claude | bedrock | all, or a comma list
                    such as claude,bedrock   (default all: echo, then claude, then bedrock)
  --store S         embedded | redis (a redis-server of the bench's own, no persistence;
                    the report adds Redis commands, round trips and CPU per request)  (default embedded)
  --keys N          client keys in the store, the bench's included            (default 1)
  --accounts N      accounts, the bench's included; the others cannot serve the bench's
                    requests (other models, cooling down, rate-limited, disabled)  (default 1)
  --usage-rows N    usage history bulk-written into the store before the run   (default 0)
  --usage-days N    days that history spans, ending now                      (default 90)
  --admin-samples N timed requests per admin endpoint after the load (dashboard, usage
                    summary, first request-log page); 0: none                 (default 5)
  --pair A,B        A and B's gateways loaded side by side (same rounds, same machine
                    load): B's CPU per request against A's; uses --mode (stream or unary)
  --cold-start N    N starts of the gateway from dist (switchyard start, plugins claude,
                    gemini and openai): median time from the spawn to the first relayed
                    answer, RSS idle after start, then the last start's CPU per request
                    by batch (--cold-batches N of --cold-batch N requests at
                    --concurrency) and after --warmup more (needs npm run build)
  --preset issue3   issue 3's figures on the Claude route: streamed at concurrency 1, 32
                    and 64, unary at 32, then a summary against the issue's targets.
                    Changes the defaults to --provider claude --gateway-from dist
                    --recording on --requests 16000 --rounds 4; explicit options still win
                    (--mode and --concurrency do not apply: the phases are fixed).`;

function fromEnv(name: string): string | undefined {
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
}

function providerList(choice: string): ProviderId[] {
  if (choice === 'all') return [...PROVIDER_IDS];
  const ids = choice.split(',').map((id) => id.trim());
  for (const id of ids) {
    if (!(PROVIDER_IDS as readonly string[]).includes(id))
      throw new Error(`--provider must be ${PROVIDER_IDS.join(', ')}, all or a comma list (got ${choice})`);
  }
  return [...new Set(ids)] as ProviderId[];
}

function pairOf(text: string): [ProviderId, ProviderId] {
  const ids = providerList(text);
  if (ids.length !== 2) throw new Error(`--pair takes two routes, e.g. claude,bedrock (got ${text})`);
  return [ids[0]!, ids[1]!];
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      events: { type: 'string' },
      'event-bytes': { type: 'string' },
      'delay-ms': { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      'timeout-s': { type: 'string' },
      'log-level': { type: 'string' },
      plugin: { type: 'string' },
      mode: { type: 'string' },
      'gateway-from': { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'node-args': { type: 'string' },
      'stock-node': { type: 'boolean' },
      recording: { type: 'string' },
      provider: { type: 'string' },
      preset: { type: 'string' },
      pair: { type: 'string' },
      store: { type: 'string' },
      keys: { type: 'string' },
      accounts: { type: 'string' },
      'usage-rows': { type: 'string' },
      'usage-days': { type: 'string' },
      'admin-samples': { type: 'string' },
      'cold-start': { type: 'string' },
      'cold-batch': { type: 'string' },
      'cold-batches': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const raw = (name: keyof typeof values): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : fromEnv(name);
  };
  const presetText = raw('preset');
  if (presetText !== undefined && presetText !== 'issue3') throw new Error(`--preset must be issue3 (got ${presetText})`);
  const preset = presetText === 'issue3' ? ('issue3' as const) : undefined;
  const pairText = raw('pair');
  const integers: Record<string, number> = {};
  const defaults: Record<(typeof INTEGER_OPTIONS)[number], number> = {
    // The preset's rounds are long (4,000 requests, one to a few seconds a phase): the usage written after a
    // phase's last response (a few ms, counted in the phase) then weighs a fraction of a percent.
    requests: preset ? 16_000 : 2000,
    concurrency: 16,
    events: 50,
    'event-bytes': 64,
    'delay-ms': 0,
    warmup: 2000,
    rounds: 4,
    'timeout-s': 600,
    keys: 1,
    accounts: 1,
    'usage-rows': 0,
    'usage-days': 90,
    'admin-samples': 5,
    'cold-start': 0,
    'cold-batch': 100,
    'cold-batches': 5,
  };
  for (const name of INTEGER_OPTIONS) {
    const text = raw(name);
    const value = text === undefined ? defaults[name] : Number(text);
    const min = [
      'delay-ms',
      'warmup',
      'events',
      'event-bytes',
      'usage-rows',
      'admin-samples',
      'cold-start',
      'cold-batches',
    ].includes(name)
      ? 0
      : 1;
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min} (got ${text})`);
    integers[name] = value;
  }
  const pick = <T extends string>(name: keyof typeof values, allowed: readonly T[], fallback: T): T => {
    const text = raw(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(text))
      throw new Error(`--${name} must be one of ${allowed.join(', ')} (got ${text})`);
    return text as T;
  };
  return {
    requests: integers.requests as number,
    concurrency: integers.concurrency as number,
    events: integers.events as number,
    eventBytes: integers['event-bytes'] as number,
    delayMs: integers['delay-ms'] as number,
    warmup: integers.warmup as number,
    rounds: integers.rounds as number,
    timeoutS: integers['timeout-s'] as number,
    logLevel: pick('log-level', ['error', 'warn', 'info', 'debug'], 'warn'),
    plugin: pick('plugin', ['inline', 'package'], 'inline'),
    mode: pick('mode', ['both', 'stream', 'unary'], 'both'),
    gatewayFrom: pick('gateway-from', ['src', 'dist'], preset ? 'dist' : 'src'),
    cpuProf: values['cpu-prof'] === true || fromEnv('cpu-prof') === '1',
    nodeArgs: (raw('node-args') ?? '').split(' ').filter((flag) => flag !== ''),
    stockNode: values['stock-node'] === true || fromEnv('stock-node') === '1',
    recording: pick('recording', ['on', 'off', 'compare', 'control'], preset ? 'on' : 'compare'),
    providers: providerList(raw('provider') ?? (preset ? 'claude' : 'all')),
    ...(preset ? { preset } : {}),
    ...(pairText === undefined ? {} : { pair: pairOf(pairText) }),
    store: pick('store', ['embedded', 'redis'], 'embedded'),
    keys: integers.keys as number,
    accounts: integers.accounts as number,
    usageRows: integers['usage-rows'] as number,
    usageDays: integers['usage-days'] as number,
    adminSamples: integers['admin-samples'] as number,
    coldStart: integers['cold-start'] as number,
    coldBatch: integers['cold-batch'] as number,
    coldBatches: integers['cold-batches'] as number,
    help: values.help === true,
  };
}

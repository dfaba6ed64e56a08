/**
 * The bench's scale fixture (`--keys`, `--accounts`, `--usage-rows`): more client keys,
 * more accounts the scheduler must skip, and a usage history. It is made in a process of
 * its own (fixture-child.ts) before the gateway child starts on the same store, so the
 * gateway starts with the heap of a gateway, not of the fixture's making (0.9-1.4 GB,
 * whose GC pauses inflated the scale figures). The cooldowns are set by the gateway child
 * itself ({@link coolScaleAccounts}): the embedded store keeps account state in process.
 * The bench key and account (declared in the config) stay the only ones the measured
 * requests use, so a scale run and a baseline run serve the same requests and differ only
 * in what lies beside them.
 */
import type { Gateway } from '@switchyard/core';
import { fillUsageHistory } from '@switchyard/core/testing';

/** The fixture's size; 1 key, 1 account and 0 rows is the baseline (nothing is added). */
export interface ScaleOptions {
  /** Client keys in all, the bench key included. */
  keys: number;
  /** Accounts in all, the bench account included. */
  accounts: number;
  /** Usage records of the history. */
  usageRows: number;
  /** Days the history spans, ending now. */
  usageDays: number;
}

/** What the fixture made, and how long each part took. */
export interface ScaleFixtureReport {
  keysMs: number;
  accountsMs: number;
  usage?: { records: number; aggregateRows: number; ms: number };
  /** How the extra accounts were made unable to serve the bench's requests. */
  accountMix: Record<string, number>;
  /** Set by fixture-child.ts: the whole fixture's time and its process's peak RSS. */
  totalMs?: number;
  peakRssBytes?: number;
}

/** Runs `count` jobs, `parallel` at a time (bounded: the fixture makes thousands of records). */
async function inParallel(count: number, parallel: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
}

/** The models of the pre-filled history: the claude route's, which the bench loads. */
const HISTORY_MODELS = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805'];
/** Groups the extra accounts are spread over. */
const GROUPS = 10;

/** What the i-th extra account is made to be (of every ten: five other models, two rate-limited, ...). */
const ACCOUNT_KINDS = [
  'other-model',
  'other-model',
  'other-model',
  'other-model',
  'other-model',
  'rate-limited',
  'rate-limited',
  'cooling-down',
  'disabled',
  'other-family',
] as const;

const kindOf = (i: number) => ACCOUNT_KINDS[i % ACCOUNT_KINDS.length]!;
const accountId = (i: number) => `scale-${i}`;

/**
 * Adds `keys - 1` keys and `accounts - 1` accounts to the gateway's store, none of which
 * can serve the bench's requests: of every ten accounts, five serve only other models,
 * two are to cool down after a rate limit, one after an upstream error
 * ({@link coolScaleAccounts}), one is disabled and one is in a group and serves only
 * another model family; all spread over ten groups. Then writes the usage history
 * (`usageRows` records over `usageDays`, spread over every key and account).
 */
export async function makeScaleFixture(
  gateway: Gateway,
  scale: ScaleOptions,
  bench: { keyId: string; account: { id: string; type: string; credentials: Record<string, unknown> } },
  history: { maxRecords?: number; sqliteFile?: string },
): Promise<ScaleFixtureReport> {
  const keysStarted = performance.now();
  const keyIds = [bench.keyId];
  await inParallel(scale.keys - 1, 16, async (i) => {
    const created = await gateway.createKey({ name: `scale key ${i}` });
    keyIds.push(created.id);
  });
  const keysMs = performance.now() - keysStarted;

  const accountsStarted = performance.now();
  const accounts = [{ id: bench.account.id, type: bench.account.type }];
  const accountMix: Record<string, number> = {};
  const now = Date.now();
  await inParallel(scale.accounts - 1, 16, async (i) => {
    const kind = kindOf(i);
    accountMix[kind] = (accountMix[kind] ?? 0) + 1;
    const id = accountId(i);
    const models = kind === 'other-model' ? ['bench-other-model-*'] : kind === 'other-family' ? ['bench-family-b-*'] : undefined;
    await gateway.createAccount({
      id,
      type: bench.account.type,
      name: `scale account ${i} (${kind})`,
      credentials: bench.account.credentials,
      ...(models ? { settings: { models } } : {}),
      groups: [`bench-group-${i % GROUPS}`],
      enabled: kind !== 'disabled',
    });
    accounts.push({ id, type: bench.account.type });
  });
  const accountsMs = performance.now() - accountsStarted;

  const report: ScaleFixtureReport = { keysMs, accountsMs, accountMix };
  if (scale.usageRows > 0) {
    report.usage = await fillUsageHistory(gateway, {
      rows: scale.usageRows,
      spanMs: scale.usageDays * 86_400_000,
      nowMs: now,
      keyIds,
      accounts,
      models: HISTORY_MODELS,
      ...history,
    });
  }
  return report;
}

/**
 * Cools down the extra accounts the fixture made to be rate-limited or failing, for 30
 * days (set in the store's account state; with the embedded store that state lives in the
 * gateway's process, so the gateway child calls this before it listens). Returns how many.
 */
export async function coolScaleAccounts(gateway: Gateway, scale: Pick<ScaleOptions, 'accounts'>): Promise<number> {
  const farFuture = Date.now() + 30 * 86_400_000;
  let cooled = 0;
  await inParallel(scale.accounts - 1, 16, async (i) => {
    const kind = kindOf(i);
    if (kind === 'rate-limited')
      await gateway.store.accountState.setCooldown(accountId(i), farFuture, 'rate_limit', 'bench: rate limited');
    else if (kind === 'cooling-down')
      await gateway.store.accountState.setCooldown(accountId(i), farFuture, 'server_error', 'bench: upstream error');
    else return;
    cooled++;
  });
  return cooled;
}

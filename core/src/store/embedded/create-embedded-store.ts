/** Factory of the embedded store: SQLite file for durable data, process memory for the rest. */
import type { Database } from 'better-sqlite3';
import type { Logger } from '@switchyard/plugin-api';
import type { Store } from '../types.js';
import { systemClock, type Clock } from '../../time/clock.js';
import { EmbeddedAccountChecks } from './embedded-account-checks.js';
import { EmbeddedAccounts } from './embedded-accounts.js';
import { EmbeddedCards } from './embedded-cards.js';
import { EmbeddedUsers } from './embedded-users.js';
import { EmbeddedGroups } from './embedded-groups.js';
import { EmbeddedKeys } from './embedded-keys.js';
import { EmbeddedPluginKv } from './embedded-plugin-kv.js';
import { EmbeddedSettings } from './embedded-settings.js';
import { EmbeddedUsage } from './embedded-usage.js';
import { EmbeddedUsageAggregates } from './embedded-usage-aggregates.js';
import { EmbeddedUsageRetention } from './embedded-usage-retention.js';
import { EmbeddedPriceBooks } from './embedded-price-books.js';
import { DEFAULT_SWEEP_INTERVAL_MS, MemoryEphemeral } from './memory-ephemeral.js';
import { EmbeddedMeters } from './embedded-meters.js';
import { MemoryLeaseQueue } from './memory-lease-queue.js';
import { openSqliteDatabase, readSqliteSchemaVersion } from './sqlite-database.js';
import { createUsageWriter, type UsageWriter } from './usage-writer.js';

/** Options of {@link createEmbeddedStore}. */
export interface EmbeddedStoreOptions {
  /**
   * Data directory; the database is `<path>/switchyard.db` (the directory is created
   * when missing). `':memory:'` keeps everything in memory (tests).
   */
  readonly path: string;
  /** How often expired ephemeral entries and plugin KV rows are purged; default 30 s. */
  readonly sweepIntervalMs?: number;
  /** Where to warn about data files that were readable by others (and were tightened). */
  readonly log?: Logger;
  /** Governs the in-process TTLs, leases and sliding windows; default the system clock. */
  readonly clock?: Clock;
}

/**
 * Opens the embedded store: keys, accounts, groups, users, usage, settings and plugin
 * KV in SQLite (WAL, synchronous=NORMAL, migrated at open; folder 0700, files 0600); leases, counters, sticky
 * sessions and account state in this process's memory. One gateway process only. For a
 * file, usage rows, aggregates and their retention are written by a worker thread with
 * a connection of its own, off the thread that relays requests.
 *
 * @example
 * ```ts
 * const store = await createEmbeddedStore({ path: './data' });
 * await store.settings.set('motd', 'hello');
 * await store.close();
 * ```
 * @throws StoreSchemaError when the file was written by a newer Switchyard.
 */
export async function createEmbeddedStore(options: EmbeddedStoreOptions): Promise<Store> {
  const db = openSqliteDatabase(options.path, undefined, (paths) =>
    options.log?.warn(
      'the data folder or its files were readable by other users; set them to owner-only (folder 0700, files 0600)',
      { paths },
    ),
  );
  return new EmbeddedStore(db, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, options.clock ?? systemClock);
}

class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  readonly keys: EmbeddedKeys;
  readonly accounts: EmbeddedAccounts;
  readonly groups: EmbeddedGroups;
  readonly users: EmbeddedUsers;
  readonly usage: EmbeddedUsage;
  readonly settings: EmbeddedSettings;
  readonly pluginKv: EmbeddedPluginKv;
  readonly usageAggregates: EmbeddedUsageAggregates;
  readonly usageRetention: EmbeddedUsageRetention;
  readonly priceBooks: EmbeddedPriceBooks;
  readonly leases: MemoryEphemeral['leases'];
  readonly counters: MemoryEphemeral['counters'];
  readonly sticky: MemoryEphemeral['sticky'];
  readonly accountState: MemoryEphemeral['accountState'];
  readonly meters: EmbeddedMeters;
  readonly leaseQueues: MemoryLeaseQueue;
  readonly cards: EmbeddedCards;
  readonly accountChecks: EmbeddedAccountChecks;
  private readonly ephemeral: MemoryEphemeral;
  /** Runs the usage writes: on a thread of their own for a file (see usage-writer.ts). */
  private readonly usageWriter: UsageWriter;
  private closed = false;

  constructor(
    private readonly db: Database,
    sweepIntervalMs: number,
    clock: Clock,
  ) {
    this.ephemeral = new MemoryEphemeral(clock);
    this.usageWriter = createUsageWriter(db, db.memory ? undefined : db.name);
    this.keys = new EmbeddedKeys(db);
    this.accounts = new EmbeddedAccounts(db);
    this.groups = new EmbeddedGroups(db);
    this.users = new EmbeddedUsers(db);
    this.usage = new EmbeddedUsage(db, this.usageWriter);
    this.settings = new EmbeddedSettings(db);
    this.pluginKv = new EmbeddedPluginKv(db, clock);
    this.usageAggregates = new EmbeddedUsageAggregates(db, this.usageWriter);
    this.usageRetention = new EmbeddedUsageRetention(this.usageWriter);
    this.priceBooks = new EmbeddedPriceBooks(db);
    this.leases = this.ephemeral.leases;
    this.counters = this.ephemeral.counters;
    this.sticky = this.ephemeral.sticky;
    this.accountState = this.ephemeral.accountState;
    this.meters = new EmbeddedMeters(db, clock);
    this.leaseQueues = new MemoryLeaseQueue(this.ephemeral.leases, clock);
    this.cards = new EmbeddedCards(db);
    this.accountChecks = new EmbeddedAccountChecks(db);
    this.ephemeral.startSweeping(sweepIntervalMs, (now) => {
      if (!this.closed) this.pluginKv.purgeExpired(now);
      if (!this.closed) this.meters.sweep(now);
      this.leaseQueues.sweep(now);
    });
  }

  async schemaVersion(): Promise<number> {
    return readSqliteSchemaVersion(this.db);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('embedded store is closed');
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ephemeral.stopSweeping();
    await this.usageWriter.close();
    this.db.close();
  }
}

/**
 * Builds the price book from its layers, publishes each distinct table as a version in
 * the store, and keeps the live {@link PriceBook} on the newest one. Layers, later wins
 * per model entry: the plugins' tables, the config's price file, then the admin's
 * overrides (setting `usage.priceOverrides`). Also holds the service-wide cost
 * multipliers (config `usage.costMultiplier` / `pluginCostMultipliers`, overridden by the
 * setting `usage.costMultipliers`: `{ "*": 1.2, "<plugin id>": 0.8 }`).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger, ModelPrice, PriceTable } from '@switchyard/plugin-api';
import { canonicalJson } from '../security/canonical-json.js';
import type { Store } from '../store/types.js';
import type { PriceBook } from './price-book.js';

/** Setting holding the admin's price overrides (a {@link PriceTable}). */
export const PRICE_OVERRIDES_SETTING = 'usage.priceOverrides';
/** Setting holding service multipliers: `{ "*": number, "<plugin id>": number }`. */
export const COST_MULTIPLIERS_SETTING = 'usage.costMultipliers';

/** Options of {@link PriceBookService}. */
export interface PriceBookServiceOptions {
  book: PriceBook;
  store: Store;
  log: Logger;
  /** The plugins' merged price tables. */
  pluginPrices: PriceTable;
  /** Absolute path of the config's price file, if any (re-read on every reload). */
  priceFile?: string;
  fallback?: ModelPrice;
  /** Config defaults of the service multipliers. */
  costMultiplier: number;
  pluginCostMultipliers: Readonly<Record<string, number>>;
}

function isPriceTable(value: unknown): value is PriceTable {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (price) =>
      typeof price === 'object' &&
      price !== null &&
      typeof (price as ModelPrice).input === 'number' &&
      typeof (price as ModelPrice).output === 'number',
  );
}

/** Keeps the live price book and the service multipliers up to date. */
export class PriceBookService {
  private fileTable: PriceTable = {};
  private digest: string | undefined;
  private priceFile: string | undefined;

  constructor(private readonly options: PriceBookServiceOptions) {
    this.priceFile = options.priceFile;
    options.book.setServiceMultipliers({ '*': options.costMultiplier, ...options.pluginCostMultipliers });
  }

  /** Sets the config's price file (absolute path), read from the next {@link reload} on. */
  usePriceFile(path: string | undefined): void {
    this.priceFile = path;
  }

  /** The live book. */
  get book(): PriceBook {
    return this.options.book;
  }

  /**
   * Re-reads the price file and the settings, publishes the merged table (a new version
   * only when it changed) and swaps it in. A broken file or setting is logged and the
   * previous value of that layer kept.
   */
  async reload(): Promise<number> {
    const { store, log } = this.options;
    if (this.priceFile) {
      try {
        const parsed: unknown = JSON.parse(await readFile(this.priceFile, 'utf8'));
        if (!isPriceTable(parsed))
          throw new Error('expected an object of model -> { input, output, ... } in USD per million tokens');
        this.fileTable = parsed;
      } catch (error) {
        log.error('price file could not be read; keeping the previous prices', { file: this.priceFile, error });
      }
    }
    const overrides = await store.settings.get<unknown>(PRICE_OVERRIDES_SETTING);
    const multipliers = await store.settings.get<unknown>(COST_MULTIPLIERS_SETTING);
    if (multipliers && typeof multipliers === 'object') {
      const valid = Object.entries(multipliers).filter(([, v]) => typeof v === 'number' && v >= 0) as [string, number][];
      this.book.setServiceMultipliers({
        '*': this.options.costMultiplier,
        ...this.options.pluginCostMultipliers,
        ...Object.fromEntries(valid),
      });
    }
    const table: PriceTable = {
      ...this.options.pluginPrices,
      ...this.fileTable,
      ...(isPriceTable(overrides) ? overrides : {}),
    };
    const digest = createHash('sha256').update(canonicalJson(table)).digest('hex');
    if (digest === this.digest) return this.book.version;
    const version = await store.priceBooks.publish(digest, table, new Date().toISOString());
    this.digest = digest;
    this.book.replace(table, version, this.options.fallback);
    log.info('price book in use', { version, models: Object.keys(table).length });
    return version;
  }

  /** Stores the admin's overrides and reloads (a new version when they change prices). */
  async setOverrides(table: PriceTable): Promise<number> {
    if (!isPriceTable(table)) throw new TypeError('price overrides must map model ids or patterns to { input, output, ... }');
    await this.options.store.settings.set(PRICE_OVERRIDES_SETTING, table);
    return this.reload();
  }
}

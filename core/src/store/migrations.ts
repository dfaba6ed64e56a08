/**
 * Schema versioning shared by both store backends. Each backend keeps its own ordered
 * list of migrations (`embedded/sqlite-migrations.ts`, `redis/redis-migrations.ts`);
 * this module decides which of them still have to run and refuses data written by a
 * newer Switchyard.
 *
 * Adding a migration: append `{ version: N + 1, description, up }` to the backend's
 * list. It runs forward, once, the next time a store opens on older data.
 */

/** One forward step of a backend's schema, applied in version order. */
export interface Migration<C> {
  /** 1, 2, 3… with no gaps; the data is at this version once `up` has run. */
  readonly version: number;
  /** What the step does, for logs and error messages. */
  readonly description: string;
  /** Applies the step. Runs at most once per stored data set. */
  up(context: C): void | Promise<void>;
}

/** The stored data cannot be used by this code (too new, or the migration list is broken). */
export class StoreSchemaError extends Error {
  override readonly name = 'StoreSchemaError';
}

/** The newest schema version a migration list reaches (0 for an empty list). */
export function latestSchemaVersion<C>(migrations: readonly Migration<C>[]): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
}

/**
 * The migrations that bring data at `current` up to the newest version, in order.
 *
 * @example
 * ```ts
 * for (const m of pendingMigrations('embedded store at ./data', version, SQLITE_MIGRATIONS)) {
 *   m.up(db);
 * }
 * ```
 * @throws StoreSchemaError when `current` is newer than the code knows, or when the
 *   list is not numbered 1, 2, 3… without gaps.
 */
export function pendingMigrations<C>(storeLabel: string, current: number, migrations: readonly Migration<C>[]): Migration<C>[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreSchemaError(
        `${storeLabel}: migration #${i + 1} declares version ${m.version}; versions must be 1, 2, 3… without gaps`,
      );
    }
  });
  if (!Number.isInteger(current) || current < 0) {
    throw new StoreSchemaError(`${storeLabel}: stored schema version "${String(current)}" is not a valid version number`);
  }
  const latest = latestSchemaVersion(migrations);
  if (current > latest) {
    throw new StoreSchemaError(
      `${storeLabel}: the stored data is at schema version ${current}, but this Switchyard only knows versions up to ${latest}. ` +
        'It was written by a newer Switchyard; upgrade Switchyard (or point it at other data) instead of downgrading.',
    );
  }
  return migrations.slice(current);
}

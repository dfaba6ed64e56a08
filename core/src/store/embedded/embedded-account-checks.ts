/** The account check history in the embedded store's SQLite file. */
import type { Database, Statement } from 'better-sqlite3';
import { MAX_ACCOUNT_CHECKS, type AccountCheckEntry, type AccountCheckRepository } from '../types.js';
import { checkListLimit, decodeJson, encodeJson } from '../records.js';

/**
 * {@link AccountCheckRepository} over the `account_checks` table: one row per check,
 * ordered by insertion (`seq`); an append deletes the account's rows beyond the newest
 * {@link MAX_ACCOUNT_CHECKS} in the same transaction.
 */
export class EmbeddedAccountChecks implements AccountCheckRepository {
  private readonly insertStmt: Statement;
  private readonly trimStmt: Statement;
  private readonly listStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly appendTx: (accountId: string, json: string) => void;

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare('INSERT INTO account_checks (account_id, data) VALUES (?, ?)');
    this.trimStmt = db.prepare(
      `DELETE FROM account_checks WHERE account_id = ? AND seq NOT IN
         (SELECT seq FROM account_checks WHERE account_id = ? ORDER BY seq DESC LIMIT ${MAX_ACCOUNT_CHECKS})`,
    );
    this.listStmt = db.prepare('SELECT data FROM account_checks WHERE account_id = ? ORDER BY seq DESC LIMIT ?').pluck();
    this.deleteStmt = db.prepare('DELETE FROM account_checks WHERE account_id = ?');
    this.appendTx = db.transaction((accountId: string, json: string) => {
      this.insertStmt.run(accountId, json);
      this.trimStmt.run(accountId, accountId);
    });
  }

  async append(accountId: string, entry: AccountCheckEntry): Promise<void> {
    this.appendTx(accountId, encodeJson(entry));
  }

  async list(accountId: string, limit = MAX_ACCOUNT_CHECKS): Promise<AccountCheckEntry[]> {
    const rows = this.listStmt.all(accountId, checkListLimit(limit)) as string[];
    return rows.map((json) => decodeJson<AccountCheckEntry>(json));
  }

  async latest(ids: readonly string[]): Promise<Map<string, AccountCheckEntry>> {
    const out = new Map<string, AccountCheckEntry>();
    const unique = [...new Set(ids)];
    // SQLite binds at most 32 766 parameters; chunk well below that.
    for (let start = 0; start < unique.length; start += 500) {
      const chunk = unique.slice(start, start + 500);
      const marks = chunk.map(() => '?').join(', ');
      const rows = this.db
        .prepare(
          `SELECT account_id, data FROM account_checks WHERE seq IN
             (SELECT MAX(seq) FROM account_checks WHERE account_id IN (${marks}) GROUP BY account_id)`,
        )
        .all(...chunk) as { account_id: string; data: string }[];
      for (const row of rows) out.set(row.account_id, decodeJson<AccountCheckEntry>(row.data));
    }
    return out;
  }

  async delete(accountId: string): Promise<void> {
    this.deleteStmt.run(accountId);
  }
}

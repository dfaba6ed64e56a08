import type { AccountRecord } from '../store/types.js';
import type { ResolvedAccount } from '../accounts/account-types.js';

export type { ResolvedAccount };

/** What the relay needs from the account service. */
export interface AccountResolver {
  listRecords(): Promise<AccountRecord[]>;
  resolve(id: string): Promise<ResolvedAccount | undefined>;
  /** Decrypts a record the caller already holds (cached per record version). */
  resolveRecord(record: AccountRecord): ResolvedAccount;
  saveRefreshedCredentials(id: string, changes: Record<string, unknown>): Promise<unknown>;
}

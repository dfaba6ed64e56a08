/**
 * Invite links: an admin makes one (for role `user` or `admin`), the invited person
 * registers with it once. Only a hash of the token is stored (shared key-value store,
 * expiring by itself); using it is atomic across instances (a shared counter whose
 * first increment wins), so two registrations with one link cannot both succeed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store, UserRole } from '../store/types.js';

/** Where invites are kept (a core namespace of the key-value repository; plugin ids cannot contain a dot). */
const INVITES_NAMESPACE = 'switchyard.invites';

interface StoredInvite {
  role: UserRole;
  createdBy: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** A new invite; the token is shown once. */
export interface IssuedInvite {
  token: string;
  role: UserRole;
  expiresAt: number;
}

function idOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Issues and redeems invites. */
export class Invites {
  constructor(
    private readonly store: Pick<Store, 'pluginKv' | 'counters'>,
    private readonly now: () => number,
  ) {}

  async issue(role: UserRole, validMs: number, createdBy: string): Promise<IssuedInvite> {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + validMs;
    const invite: StoredInvite = { role, createdBy, expiresAt };
    await this.store.pluginKv.set(INVITES_NAMESPACE, idOf(token), invite, validMs);
    return { token, role, expiresAt };
  }

  /** The role of a valid, unused invite, which is used up by this call; undefined otherwise. */
  async redeem(token: string): Promise<{ role: UserRole; createdBy: string } | undefined> {
    if (typeof token !== 'string' || token.length > 200) return undefined;
    const id = idOf(token);
    const invite = await this.store.pluginKv.get<StoredInvite>(INVITES_NAMESPACE, id);
    if (!invite || invite.expiresAt <= this.now()) return undefined;
    const ttl = Math.max(1, Math.ceil(invite.expiresAt - this.now()));
    if ((await this.store.counters.incr(`invite-used:${id}`, 1, ttl)) !== 1) return undefined;
    await this.store.pluginKv.delete(INVITES_NAMESPACE, id);
    return { role: invite.role, createdBy: invite.createdBy };
  }
}

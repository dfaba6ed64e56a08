/**
 * Sessions of the web admin and the user portal (every signed-in user: role `admin` or
 * `user`) as signed JWTs (HS256, jsonwebtoken). The signing secret rotates: each
 * one has an id (`kid`, in the token header) and is derived from the gateway's
 * `sessionKey` with HMAC, so only the ids (never key material) are stored, in the shared
 * settings. A new secret is made once the newest is older than `rotateMs`; older ones
 * keep verifying until every token they signed has expired. Tokens also carry a
 * fingerprint of the user's password hash, so changing a password or deleting a
 * user ends that user's sessions at once; so does disabling the user. The role is read
 * from the user record at every verification (never from the token), so a changed role
 * applies at once. Signing out revokes the one token: its id
 * is kept in the shared store until the token would have expired, and every
 * verification looks it up (one read, in parallel with the admin record's), so a
 * signed-out token stops working on every instance at once, and after a restart.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { JwtPayload } from 'jsonwebtoken';
import type { Store, UserRecord, UserRole } from '../store/types.js';

/**
 * jsonwebtoken (with semver, about 1 MB of heap), loaded at the first sign-in or
 * verification rather than at start: a gateway that only relays never needs it.
 */
async function jsonWebToken(): Promise<typeof import('jsonwebtoken')> {
  return (await import('jsonwebtoken')).default;
}

/** Settings entry holding the signing secret ids, newest first. */
export const SESSION_KEYS_SETTING = 'admin.sessionKeys';
const CACHE_MS = 5_000;
const ISSUER = 'switchyard-admin';
/** Where revoked tokens are kept (a core namespace of the key-value repository; plugin ids cannot contain a dot). */
const REVOKED_NAMESPACE = 'switchyard.revoked-sessions';
/** Revocations outlive their token by this much, for clocks of instances that run a little behind. */
const REVOCATION_MARGIN_MS = 60_000;

interface SigningKeyEntry {
  kid: string;
  /** Epoch ms. */
  createdAt: number;
}

/** Options of {@link AdminSessions}. */
export interface AdminSessionsOptions {
  store: Pick<Store, 'settings' | 'users' | 'pluginKv'>;
  /** The gateway's derived session secret (32 bytes). */
  sessionKey: Buffer;
  ttlMs: number;
  rotateMs: number;
  now?: () => number;
}

/** A verified session. */
export interface AdminSession {
  username: string;
  role: UserRole;
  /** Epoch ms. */
  expiresAt: number;
}

/** A freshly issued session token. */
export interface IssuedSession extends AdminSession {
  token: string;
}

/**
 * The id a token is revoked under: a hash of its signed part (header and claims), which
 * a holder cannot re-encode without breaking the signature (the signature's own base64
 * can be), and which tokens without a `jti` (issued before there was one) have too.
 */
function revocationId(token: string): string {
  return createHash('sha256')
    .update(token.slice(0, token.lastIndexOf('.')))
    .digest('base64url');
}

/** Fingerprint of a stored password hash; changes whenever the password does. */
export function passwordVersion(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}

/** A user's session fingerprint: of the password hash, or (directory users, who have none here) of the record's creation. */
function userVersion(user: UserRecord): string {
  return passwordVersion(user.passwordHash ?? `${user.source}\0${user.createdAt}`);
}

/** Issues and verifies admin session tokens. */
export class AdminSessions {
  private readonly options: AdminSessionsOptions;
  private readonly now: () => number;
  private cache: { until: number; keys: SigningKeyEntry[] } | undefined;

  constructor(options: AdminSessionsOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** Session lifetime in ms. */
  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /** Signs a session for a user (whose record must exist and be enabled). */
  async issue(username: string): Promise<IssuedSession> {
    const user = await this.options.store.users.get(username);
    if (!user || !user.enabled) throw new Error(`no enabled user named ${username}`);
    const current = await this.currentKey();
    const now = this.now();
    const expiresAt = now + this.options.ttlMs;
    const jwt = await jsonWebToken();
    const token = jwt.sign({ pwv: userVersion(user), iat: Math.floor(now / 1000) }, this.secret(current.kid), {
      algorithm: 'HS256',
      keyid: current.kid,
      // Unique, so two sign-ins in the same second get two tokens that are revoked apart.
      jwtid: randomBytes(12).toString('base64url'),
      subject: username,
      issuer: ISSUER,
      expiresIn: Math.floor(this.options.ttlMs / 1000),
    });
    return { token, username, role: user.role, expiresAt };
  }

  /**
   * The session a token stands for, or undefined when it is invalid, expired, signed by a
   * retired secret, revoked, or stale (password changed, user disabled or deleted).
   */
  async verify(token: string): Promise<AdminSession | undefined> {
    if (typeof token !== 'string' || token.length > 4096) return undefined;
    const jwt = await jsonWebToken();
    const decoded = jwt.decode(token, { complete: true });
    const kid = decoded?.header.kid;
    if (!kid) return undefined;
    const keys = await this.keys();
    if (!keys.some((key) => key.kid === kid)) return undefined;
    let payload: JwtPayload;
    try {
      const verified = jwt.verify(token, this.secret(kid), {
        algorithms: ['HS256'],
        issuer: ISSUER,
        clockTimestamp: Math.floor(this.now() / 1000),
      });
      if (typeof verified === 'string') return undefined;
      payload = verified;
    } catch {
      return undefined;
    }
    const username = payload.sub;
    if (!username || typeof payload['pwv'] !== 'string' || payload.exp === undefined) return undefined;
    const [user, revoked] = await Promise.all([
      this.options.store.users.get(username),
      this.options.store.pluginKv.get(REVOKED_NAMESPACE, revocationId(token)),
    ]);
    if (!user || !user.enabled || revoked !== undefined || userVersion(user) !== payload['pwv']) return undefined;
    return { username, role: user.role, expiresAt: payload.exp * 1000 };
  }

  /**
   * Revokes a token (signing out): it stops verifying on every instance until it would
   * have expired. False when the token is no valid session (nothing to revoke).
   */
  async revoke(token: string): Promise<boolean> {
    const session = await this.verify(token);
    if (!session) return false;
    const ttlMs = Math.max(1, Math.ceil(session.expiresAt - this.now() + REVOCATION_MARGIN_MS));
    await this.options.store.pluginKv.set(REVOKED_NAMESPACE, revocationId(token), 1, ttlMs);
    return true;
  }

  /**
   * Starts a new signing secret now. With `revokeAll`, every older secret is retired too,
   * which signs every admin out.
   */
  async rotate(revokeAll = false): Promise<void> {
    const keys = revokeAll ? [] : await this.keys(true);
    const fresh = { kid: randomBytes(9).toString('base64url'), createdAt: this.now() };
    await this.save([fresh, ...keys]);
  }

  private secret(kid: string): Buffer {
    return createHmac('sha256', this.options.sessionKey).update(`admin-session\0${kid}`).digest();
  }

  private async currentKey(): Promise<SigningKeyEntry> {
    const keys = await this.keys(true);
    const newest = keys[0];
    if (newest && this.now() - newest.createdAt < this.options.rotateMs) return newest;
    await this.rotate(false);
    return (await this.keys(true))[0]!;
  }

  /** Live signing keys: the newest, plus older ones that may still have unexpired tokens. */
  private async keys(fresh = false): Promise<SigningKeyEntry[]> {
    const now = this.now();
    if (!fresh && this.cache && this.cache.until > now) return this.cache.keys;
    const stored = (await this.options.store.settings.get<SigningKeyEntry[]>(SESSION_KEYS_SETTING)) ?? [];
    const valid = Array.isArray(stored)
      ? stored.filter((key) => typeof key?.kid === 'string' && Number.isFinite(key.createdAt))
      : [];
    valid.sort((a, b) => b.createdAt - a.createdAt);
    // A key retires once a newer one has existed for longer than a session lives.
    const live = valid.filter((key, index) => index === 0 || now - valid[index - 1]!.createdAt <= this.options.ttlMs);
    this.cache = { until: now + CACHE_MS, keys: live };
    return live;
  }

  private async save(keys: SigningKeyEntry[]): Promise<void> {
    await this.options.store.settings.set(SESSION_KEYS_SETTING, keys.slice(0, 10));
    this.cache = undefined;
  }
}

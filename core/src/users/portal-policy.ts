/**
 * The user portal's policy: self-registration, how many keys a user may hold and the
 * limits their keys get, and whether they may delete them. The config file's
 * `auth.users` gives the defaults; an admin's changes are stored in the shared settings
 * (so every instance applies the same) and win over the file.
 */
import { portalPolicySchema, type PortalPolicy } from '../config/auth-schema.js';
import type { Store, UserRecord } from '../store/types.js';

/** Settings entry holding the admin's changes to the policy. */
export const PORTAL_POLICY_SETTING = 'users.policy';

/** The policy in force: the file's defaults with the stored changes applied (a stored value that no longer validates is ignored). */
export async function readPortalPolicy(store: Pick<Store, 'settings'>, defaults: PortalPolicy): Promise<PortalPolicy> {
  const stored = await store.settings.get<Record<string, unknown>>(PORTAL_POLICY_SETTING);
  const merged = portalPolicySchema.safeParse({ ...defaults, ...(stored && typeof stored === 'object' ? stored : {}) });
  return merged.success ? merged.data : defaults;
}

/** Stores a changed policy (already validated). */
export async function writePortalPolicy(store: Pick<Store, 'settings'>, policy: PortalPolicy): Promise<void> {
  await store.settings.set(PORTAL_POLICY_SETTING, policy);
}

/** How many keys `user` may hold, and the limits of the keys they create. */
export function userKeyAllowance(
  policy: PortalPolicy,
  user: UserRecord,
): { maxKeys: number; keyLimits: Record<string, unknown> } {
  return { maxKeys: user.maxKeys ?? policy.maxKeysPerUser, keyLimits: user.keyLimits ?? policy.keyLimits };
}

/**
 * The targets added in the admin, kept in the shared settings store (so every instance
 * sends to them): each target's plain fields as they are, its secret fields (see
 * {@link SECRET_TARGET_FIELDS}) in one AES-256-GCM envelope, like account credentials.
 */
import { z } from 'zod';
import type { Store } from '../store/types.js';
import { decryptJson, encryptJson } from '../security/cipher.js';
import {
  notificationTargetSchema,
  SECRET_TARGET_FIELDS,
  type NotificationTarget,
  type NotificationTargetType,
} from './notification-config-schema.js';

/** The settings entry of the stored targets. */
export const NOTIFICATION_TARGETS_SETTING = 'notifications.targets';

/** One stored target. */
interface StoredTarget {
  /** The target without its secret fields. */
  plain: Record<string, unknown>;
  /** Encrypted JSON of the secret fields that are set. */
  secrets?: string;
  updatedAt: string;
  updatedBy: string;
}

/** What the repository needs. */
export interface StoredTargetsDeps {
  store: Pick<Store, 'settings'>;
  cipherKey: Buffer;
  now(): number;
}

/** A target input that does not validate; `problems` are `path: message` lines. */
export class TargetInputError extends Error {
  override readonly name = 'TargetInputError';
  constructor(readonly problems: string[]) {
    super(`invalid notification target: ${problems.join('; ')}`);
  }
}

function secretFields(type: unknown): readonly string[] {
  return SECRET_TARGET_FIELDS[type as NotificationTargetType] ?? [];
}

export class StoredTargets {
  constructor(private readonly deps: StoredTargetsDeps) {}

  /** Every stored target, decrypted and validated (one that no longer validates is left out). */
  async list(): Promise<NotificationTarget[]> {
    const out: NotificationTarget[] = [];
    for (const entry of await this.read()) {
      const parsed = notificationTargetSchema.safeParse(this.open(entry));
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  /**
   * Creates or replaces the target `input.id`. A secret field left out (or empty) of an
   * existing target of the same type keeps its stored value, so the admin can change a
   * target without typing its secrets again.
   */
  async put(input: Record<string, unknown>, by: string): Promise<NotificationTarget> {
    const entries = await this.read();
    const index = entries.findIndex((entry) => entry.plain.id === input.id);
    const merged: Record<string, unknown> = { ...input };
    const previous = index >= 0 ? this.open(entries[index]!) : undefined;
    for (const field of secretFields(input.type)) {
      const given = merged[field];
      if (
        (given === undefined || given === '') &&
        previous !== undefined &&
        previous.type === input.type &&
        previous[field] !== undefined
      ) {
        merged[field] = previous![field];
      } else if (given === '') delete merged[field];
    }
    const parsed = notificationTargetSchema.safeParse(merged);
    if (!parsed.success) {
      throw new TargetInputError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'target'}: ${issue.message}`));
    }
    const target = parsed.data;
    const plain: Record<string, unknown> = { ...target };
    const secrets: Record<string, unknown> = {};
    for (const field of secretFields(target.type)) {
      if (plain[field] !== undefined) secrets[field] = plain[field];
      delete plain[field];
    }
    const entry: StoredTarget = {
      plain,
      ...(Object.keys(secrets).length > 0 ? { secrets: encryptJson(this.deps.cipherKey, secrets) } : {}),
      updatedAt: new Date(this.deps.now()).toISOString(),
      updatedBy: by,
    };
    if (index >= 0) entries[index] = entry;
    else entries.push(entry);
    await this.deps.store.settings.set(NOTIFICATION_TARGETS_SETTING, entries);
    return target;
  }

  /** Deletes the target; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const entries = await this.read();
    const kept = entries.filter((entry) => entry.plain.id !== id);
    if (kept.length === entries.length) return false;
    await this.deps.store.settings.set(NOTIFICATION_TARGETS_SETTING, kept);
    return true;
  }

  private async read(): Promise<StoredTarget[]> {
    const value = await this.deps.store.settings.get<unknown>(NOTIFICATION_TARGETS_SETTING);
    const parsed = z.array(z.looseObject({ plain: z.looseObject({ id: z.string() }) })).safeParse(value ?? []);
    return parsed.success ? (parsed.data as unknown as StoredTarget[]) : [];
  }

  private open(entry: StoredTarget): Record<string, unknown> {
    return { ...entry.plain, ...(entry.secrets ? decryptJson<Record<string, unknown>>(this.deps.cipherKey, entry.secrets) : {}) };
  }
}

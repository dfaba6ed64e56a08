/**
 * The key dialog's editable state, made from a key (or empty, to create one) and turned
 * back into the body of `POST /api/keys` or `PATCH /api/keys/{id}`. Every limit the API
 * accepts has a field; a limit the form has no field for (a fixed `limits.expiresAt`) is
 * kept as it is.
 */
import type { Body, Data } from '$lib/api/client';
import { formatModelAliases, parseModelAliases } from '$lib/model-aliases';

type Key = Data<'listKeys'>[number];
type Limits = NonNullable<Body<'createKey'>['limits']>;
type Num = number | null | undefined | '';

/** One rolling window row. */
export interface WindowRow {
  period: string;
  requests: Num;
  tokens: Num;
  costUsd: Num;
}
/** One weekly cap for a family of models. */
export interface ModelCapRow {
  name: string;
  models: string;
  usd: Num;
}

/** The dialog's fields. */
export interface KeyForm {
  name: string;
  count: number;
  owner: string;
  tags: string;
  description: string;
  expiry: 'never' | 'date' | 'firstUse';
  expiresAt: string;
  expiresAfter: string;
  binding: 'none' | 'account' | 'group';
  bindAccount: string;
  bindGroup: string;
  fallback: boolean;
  allow: string;
  deny: string;
  permissions: string[];
  clients: string[];
  aliases: string;
  concurrency: Num;
  queueSize: Num;
  queueTimeoutMs: Num;
  daily: Num;
  weekly: Num;
  total: Num;
  weeklyResetDay: string;
  weeklyResetHour: Num;
  resetUtcOffsetMinutes: Num;
  costMultiplier: Num;
  windows: WindowRow[];
  modelCaps: ModelCapRow[];
  /** Limits without a field here, sent back unchanged. */
  kept: Partial<Limits>;
}

/** The periods offered for a window (any duration such as `90s`, `2w` is accepted too). */
export const PERIODS = ['1m', '30m', '1h', '5h', '1d', '7d'];

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const num = (value: Num): number | undefined =>
  value === '' || value === null || value === undefined ? undefined : Number(value);
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** A local `datetime-local` value for an ISO time. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The form for `key`, or an empty one. */
export function keyForm(key?: Key): KeyForm {
  const limits = (key?.limits ?? {}) as Limits;
  const { expiresAt: limitsExpiresAt } = limits;
  const binding = limits.binding;
  return {
    name: key?.name ?? '',
    count: 1,
    owner: key?.owner ?? '',
    tags: key?.tags.join(', ') ?? '',
    description: key?.description ?? '',
    expiry: limits.expiresAfterFirstUse ? 'firstUse' : key?.expiresAt ? 'date' : 'never',
    expiresAt: toLocalInput(key?.expiresAt),
    expiresAfter: limits.expiresAfterFirstUse ?? '30d',
    binding: binding?.account ? 'account' : binding?.group ? 'group' : 'none',
    bindAccount: binding?.account ?? '',
    bindGroup: binding?.group ?? '',
    fallback: binding?.fallback ?? false,
    allow: limits.models?.allow?.join(', ') ?? '',
    deny: limits.models?.deny?.join(', ') ?? '',
    permissions: [...(limits.permissions ?? [])],
    clients: [...(limits.clients ?? [])],
    aliases: formatModelAliases(limits.modelAliases),
    concurrency: limits.concurrency,
    queueSize: limits.queue?.size,
    queueTimeoutMs: limits.queue?.timeoutMs,
    daily: limits.costUsd?.daily,
    weekly: limits.costUsd?.weekly,
    total: limits.costUsd?.total,
    weeklyResetDay: limits.costUsd?.weeklyReset ? String(limits.costUsd.weeklyReset.day) : '',
    weeklyResetHour: limits.costUsd?.weeklyReset?.hour,
    resetUtcOffsetMinutes: limits.costUsd?.resetUtcOffsetMinutes,
    costMultiplier: limits.costMultiplier,
    windows: (limits.windows ?? []).map((w) => ({
      period: w.period,
      requests: w.requests,
      tokens: w.tokens,
      costUsd: w.costUsd,
    })),
    modelCaps: (limits.costUsd?.weeklyByModel ?? []).map((cap) => ({
      name: cap.name ?? '',
      models: cap.models.join(', '),
      usd: cap.usd,
    })),
    kept: limitsExpiresAt ? { expiresAt: limitsExpiresAt } : {},
  };
}

/** The limits of a form; throws (naming the field) when the alias text is malformed. */
export function formLimits(form: KeyForm): Limits {
  const out: Limits = { ...form.kept };
  if (num(form.concurrency) !== undefined) out.concurrency = num(form.concurrency)!;
  if (num(form.queueSize) !== undefined || num(form.queueTimeoutMs) !== undefined) {
    out.queue = { size: num(form.queueSize) ?? 0, timeoutMs: num(form.queueTimeoutMs) ?? 30_000 };
  }
  const windows = form.windows
    .filter((w) => [w.requests, w.tokens, w.costUsd].some((v) => num(v) !== undefined))
    .map((w) => defined({ period: w.period.trim(), requests: num(w.requests), tokens: num(w.tokens), costUsd: num(w.costUsd) }));
  if (windows.length > 0) out.windows = windows;
  const caps = form.modelCaps
    .filter((cap) => cap.models.trim() !== '' || num(cap.usd) !== undefined)
    .map((cap) => defined({ name: cap.name.trim() || undefined, models: list(cap.models), usd: num(cap.usd) ?? 0 }));
  const costUsd = defined({
    daily: num(form.daily),
    weekly: num(form.weekly),
    total: num(form.total),
    weeklyReset: form.weeklyResetDay ? defined({ day: Number(form.weeklyResetDay), hour: num(form.weeklyResetHour) }) : undefined,
    resetUtcOffsetMinutes: num(form.resetUtcOffsetMinutes),
    weeklyByModel: caps.length > 0 ? caps : undefined,
  });
  if (Object.keys(costUsd).length > 0) out.costUsd = costUsd;
  if (form.allow.trim() || form.deny.trim()) {
    out.models = defined({
      allow: form.allow.trim() ? list(form.allow) : undefined,
      deny: form.deny.trim() ? list(form.deny) : undefined,
    });
  }
  if (form.permissions.length > 0) out.permissions = [...form.permissions];
  if (form.clients.length > 0) out.clients = [...form.clients];
  if (form.expiry === 'firstUse') out.expiresAfterFirstUse = form.expiresAfter.trim();
  if (form.binding === 'account') out.binding = defined({ account: form.bindAccount, fallback: form.fallback || undefined });
  if (form.binding === 'group') out.binding = defined({ group: form.bindGroup, fallback: form.fallback || undefined });
  const aliases = parseModelAliases(form.aliases);
  if (Object.keys(aliases).length > 0) out.modelAliases = aliases;
  if (num(form.costMultiplier) !== undefined) out.costMultiplier = num(form.costMultiplier)!;
  return out;
}

/** The fixed expiry to send: an ISO time, or null for none. */
function expiresAt(form: KeyForm): string | null {
  return form.expiry === 'date' && form.expiresAt ? new Date(form.expiresAt).toISOString() : null;
}

/** The body that creates the form's key (or keys, with `count` > 1). */
export function createBody(form: KeyForm): Body<'createKey'> {
  const at = expiresAt(form);
  return {
    name: form.name,
    ...(form.description ? { description: form.description } : {}),
    ...(form.tags.trim() ? { tags: list(form.tags) } : {}),
    ...(form.owner ? { owner: form.owner } : {}),
    ...(at ? { expiresAt: at } : {}),
    limits: formLimits(form),
  };
}

/** The body that changes a key to the form's values (emptied fields are cleared). */
export function updateBody(form: KeyForm): Body<'updateKey'> {
  return {
    name: form.name,
    description: form.description || null,
    owner: form.owner || null,
    tags: list(form.tags),
    expiresAt: expiresAt(form),
    limits: formLimits(form),
  };
}

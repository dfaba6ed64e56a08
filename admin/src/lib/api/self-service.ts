/**
 * The key holder's own endpoints (`GET /self-service/v1/key-info`, `GET /self-service/v1/usage` and `POST /api/v1/redeem`, served
 * by the gateway next to `/admin`), for the public key-usage page. They are not part of
 * the admin API's OpenAPI document, so their answers are typed here. The key travels in
 * the Authorization header, never in a URL.
 */
import { base } from '$app/paths';
import { t } from '../messages/locale.svelte';
import { ApiError } from './client';

/** Usage of one period. */
export interface PeriodUsage {
  period: string;
  requests: number;
  errors: number;
  totalTokens: number;
  /** The rated cost (what limits count), in USD. */
  costUsd: number;
}

/** One metered limit with what is used and what remains (cost in micro-USD). */
export interface LimitUse {
  path: string;
  label: string;
  unit: 'requests' | 'tokens' | 'cost';
  limit: number;
  used: number;
  remaining: number;
  resetsAt?: string;
}

/** `GET /self-service/v1/key-info`. */
export interface KeyInfo {
  key: { id: string; name: string; hint: string; status: string; createdAt: string; expiresAt?: string; lastUsedAt?: string };
  limits: {
    concurrency?: number;
    models?: { allow?: string[]; deny?: string[] };
    clients?: string[];
    [name: string]: unknown;
  };
  budgets: LimitUse[];
}

/** `GET /self-service/v1/usage`. */
export interface KeyUsage {
  timeZone: string;
  today: PeriodUsage;
  thisMonth: PeriodUsage;
  lifetime: PeriodUsage;
  daily: PeriodUsage[];
  models: (PeriodUsage & { model: string })[];
}

/** The gateway's root (the admin is served at `<root>/admin`). */
const root = base.replace(/\/admin$/, '');

async function get<T>(path: string, key: string): Promise<T> {
  const res = await fetch(`${root}${path}`, {
    headers: { authorization: `Bearer ${key}` },
    credentials: 'omit',
    cache: 'no-store',
  });
  const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  if (!res.ok) throw new ApiError(res.status, body?.error?.message ?? t('forms.requestFailed', { status: res.status }));
  return body as T;
}

/** The key's identity, limits and what remains, and its usage; only about that key. */
export async function ownKeyReport(key: string): Promise<{ info: KeyInfo; usage: KeyUsage }> {
  const [info, usage] = await Promise.all([
    get<KeyInfo>('/self-service/v1/key-info', key),
    get<KeyUsage>('/self-service/v1/usage', key),
  ]);
  return { info, usage };
}

/** What `POST /api/v1/redeem` changed: the card's terms and the key's terms before and after. */
export interface Redeemed {
  redeemed: { card: string; creditUsd?: number; days?: number; at: string };
  before: KeyTerms;
  after: KeyTerms;
}

/** A key's terms a card can change. */
export interface KeyTerms {
  totalCostUsd?: number;
  expiresAt?: string;
  limitsExpiresAt?: string;
  expiresAfterFirstUse?: string;
}

/** A refused redemption; `reason` is the gateway's `x-switchyard-card-status` (docs/cards.md). */
export class RedeemError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly reason: string | undefined,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(status, message);
  }
}

/** Redeems a quota card onto `key` (`POST /api/v1/redeem`); throws {@link RedeemError}. */
export async function redeemCard(key: string, code: string): Promise<Redeemed> {
  const res = await fetch(`${root}/api/v1/redeem`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
    credentials: 'omit',
    cache: 'no-store',
  });
  const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  if (!res.ok) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new RedeemError(
      res.status,
      body?.error?.message ?? t('forms.requestFailed', { status: res.status }),
      res.headers.get('x-switchyard-card-status') ?? undefined,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return body as unknown as Redeemed;
}

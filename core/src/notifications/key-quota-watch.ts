/**
 * `key.quota_warning` and `key.quota_exceeded`: after a key's usage is charged, its spend
 * of the day, week and lifetime is compared with its cost caps. Each crossing is sent
 * once per cap, period and cap value (the event id says which), so a raised cap can warn
 * again, and two instances charging the same key announce it once.
 */
import type { KeyRecord, MeterRepository } from '../store/types.js';
import type { KeyLimits } from '../limits/key-limits-schema.js';
import { dayPeriod, spendMeter, weekPeriod } from '../limits/spend-periods.js';
import type { NotificationEventName } from './notification-event.js';

const DAY = 86_400_000;

/** What the watch needs. */
export interface KeyQuotaWatchDeps {
  meters: Pick<MeterRepository, 'getTotals'>;
  now(): number;
  warningPercent: number;
  emit(event: NotificationEventName, data: Record<string, unknown>, options: { id: string; claimTtlMs: number }): void;
}

/** Checks one key's spend against its cost caps (call after its usage is charged). */
export async function checkKeyQuota(deps: KeyQuotaWatchDeps, key: KeyRecord, limits: KeyLimits): Promise<void> {
  const caps = limits.costUsd;
  if (!caps || (caps.daily === undefined && caps.weekly === undefined && caps.total === undefined)) return;
  const now = deps.now();
  const offset = caps.resetUtcOffsetMinutes ?? 0;
  const day = dayPeriod(now, offset);
  const week = weekPeriod(now, caps.weeklyReset, offset);
  const checks = [
    { cap: 'daily', usd: caps.daily, meter: spendMeter.day(key.id, day), period: day.id, ttl: 2 * DAY },
    { cap: 'weekly', usd: caps.weekly, meter: spendMeter.week(key.id, week), period: week.id, ttl: 8 * DAY },
    { cap: 'total', usd: caps.total, meter: spendMeter.total(key.id), period: 'total', ttl: 400 * DAY },
  ].filter((check) => check.usd !== undefined && check.usd > 0);
  const spent = await deps.meters.getTotals(checks.map((check) => check.meter));
  checks.forEach((check, index) => {
    const spentUsd = (spent[index] ?? 0) / 1e6;
    const percent = (spentUsd / check.usd!) * 100;
    const event: NotificationEventName | undefined =
      percent >= 100 ? 'key.quota_exceeded' : percent >= deps.warningPercent ? 'key.quota_warning' : undefined;
    if (!event) return;
    deps.emit(
      event,
      {
        key: key.id,
        name: key.name,
        ...(key.owner ? { owner: key.owner } : {}),
        cap: check.cap,
        capUsd: check.usd,
        spentUsd: Math.round(spentUsd * 10_000) / 10_000,
        percent: Math.floor(percent),
      },
      { id: `${event}:${key.id}:${check.cap}:${check.period}:${check.usd}`, claimTtlMs: check.ttl },
    );
  });
}

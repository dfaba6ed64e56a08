/** A key's limits in one line for the key list ("2 at once · $5/day · group team"), in the current language. */
import type { Data } from '$lib/api/client';
import { formatInt, formatUsd } from '$lib/format';
import type { keyMessages } from '$lib/messages/keys';

type Limits = Data<'listKeys'>[number]['limits'];
type Translate = (key: keyof (typeof keyMessages)['en'], params?: Record<string, string | number>) => string;

/** The summary of `limits`, or "unlimited". */
export function limitSummary(limits: Limits, t: Translate): string {
  const parts: string[] = [];
  if (limits.concurrency) parts.push(t('atOnce', { count: formatInt(limits.concurrency) }));
  if (limits.queue?.size) parts.push(t('queued', { size: formatInt(limits.queue.size) }));
  const cost = limits.costUsd;
  if (cost?.daily !== undefined) parts.push(t('perDay', { usd: formatUsd(cost.daily) }));
  if (cost?.weekly !== undefined) parts.push(t('perWeek', { usd: formatUsd(cost.weekly) }));
  if (cost?.total !== undefined) parts.push(t('inTotal', { usd: formatUsd(cost.total) }));
  for (const cap of cost?.weeklyByModel ?? [])
    parts.push(t('modelWeek', { name: cap.name ?? cap.models.join(', '), usd: formatUsd(cap.usd) }));
  for (const window of limits.windows ?? []) {
    if (window.requests !== undefined)
      parts.push(t('windowRequests', { count: formatInt(window.requests), period: window.period }));
    if (window.tokens !== undefined) parts.push(t('windowTokens', { count: formatInt(window.tokens), period: window.period }));
    if (window.costUsd !== undefined) parts.push(t('windowUsd', { usd: formatUsd(window.costUsd), period: window.period }));
  }
  if (limits.models?.allow?.length) parts.push(t('modelsOnly', { list: limits.models.allow.join(', ') }));
  if (limits.models?.deny?.length) parts.push(t('modelsNot', { list: limits.models.deny.join(', ') }));
  if (limits.permissions?.length) parts.push(t('familiesOnly', { list: limits.permissions.join(', ') }));
  if (limits.clients?.length) parts.push(t('clientsOnly', { list: limits.clients.join(', ') }));
  const binding = limits.binding;
  if (binding?.account)
    parts.push(t('boundAccount', { id: binding.account }) + (binding.fallback ? ` ${t('withFallback')}` : ''));
  if (binding?.group) parts.push(t('boundGroup', { id: binding.group }) + (binding.fallback ? ` ${t('withFallback')}` : ''));
  for (const [from, to] of Object.entries(limits.modelAliases ?? {})) parts.push(`${from} → ${to}`);
  if (limits.costMultiplier !== undefined && limits.costMultiplier !== 1)
    parts.push(t('multiplier', { value: limits.costMultiplier }));
  return parts.join(' · ') || t('unlimited');
}

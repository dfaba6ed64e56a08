/** Which API problem paths the key dialog shows next to a field (see lib/forms/field-problems.ts). */

const FIXED = new Set([
  'name',
  'namePrefix',
  'count',
  'owner',
  'tags',
  'description',
  'expiresAt',
  'limits.expiresAfterFirstUse',
  'limits.binding',
  'limits.binding.account',
  'limits.binding.group',
  'limits.modelAliases',
  'limits.models.allow',
  'limits.models.deny',
  'limits.permissions',
  'limits.clients',
  'limits.concurrency',
  'limits.queue',
  'limits.queue.size',
  'limits.queue.timeoutMs',
  'limits.costUsd.daily',
  'limits.costUsd.weekly',
  'limits.costUsd.total',
  'limits.costUsd.weeklyReset',
  'limits.costUsd.resetUtcOffsetMinutes',
  'limits.costMultiplier',
]);
const ROWS = /^limits\.(windows\.\d+(\.(period|requests|tokens|costUsd))?|costUsd\.weeklyByModel\.\d+(\.(name|models|usd))?)$/;

/** True when the key dialog has a field for `path`. */
export function keyFieldShown(path: string): boolean {
  return FIXED.has(path) || ROWS.test(path);
}

/**
 * The `cards` section of the config file: how redemption attempts are throttled and the
 * ceilings on what a card may do to a key (docs/cards.md).
 */
import { z } from 'zod';

/** Schema of the `cards` section; `{}` gives the defaults. */
export const cardsConfigSchema = z.strictObject({
  /** Failed redemptions tolerated per key within `windowMs` before 429 (default 5). */
  maxFailuresPerKey: z.number().int().min(1).default(5),
  /** Failed redemptions tolerated per client IP within `windowMs` before 429 (default 10). */
  maxFailuresPerIp: z.number().int().min(1).default(10),
  /** The throttling window in ms (default 1 h). */
  windowMs: z.number().int().min(1000).default(3_600_000),
  /** Highest total cost cap (USD) a card may raise a key to; absent: no ceiling. */
  maxTotalCostUsd: z.number().positive().optional(),
  /** Furthest a card may move a key's expiry, in days from the redemption; absent: no ceiling. */
  maxExpiryDays: z.number().int().min(1).optional(),
});

/** The validated `cards` section. */
export type CardsConfig = z.infer<typeof cardsConfigSchema>;

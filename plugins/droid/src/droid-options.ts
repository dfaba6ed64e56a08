/**
 * The Droid plugin's options (`pluginOptions.droid` or the plugin's entry): Factory's
 * API origin, the WorkOS login used by accounts that sign in instead of holding API keys,
 * and how API keys are shared out. No OAuth client id is built in: operators configure
 * the one their Factory sign-in uses (as with the Gemini and OpenAI plugins).
 */
import { z } from '@switchyard/plugin-api';

const HOUR_MS = 60 * 60_000;

/** The options schema. */
export const droidOptionsSchema = z.object({
  apiUrl: z.string().url().default('https://api.factory.ai').describe("Factory's API origin; an account's baseUrl replaces it"),
  oauth: z
    .object({
      clientId: z
        .string()
        .min(1)
        .optional()
        .describe('WorkOS client id of the Factory sign-in (required for the device-code login and token refresh)'),
      workosUrl: z.string().url().default('https://api.workos.com').describe('WorkOS API origin'),
      appUrl: z
        .string()
        .url()
        .default('https://app.factory.ai')
        .describe('Factory app origin, asked for the organization of a fresh login (/api/cli/org)'),
      refreshAheadMs: z
        .number()
        .int()
        .min(0)
        .default(2 * HOUR_MS)
        .describe('Refresh access tokens this long before they expire'),
      tokenLifetimeMs: z
        .number()
        .int()
        .positive()
        .default(8 * HOUR_MS)
        .describe('Lifetime assumed for an access token whose expiry cannot be read'),
    })
    .prefault({}),
  keys: z
    .object({
      sessionTtlMs: z
        .number()
        .int()
        .positive()
        .default(HOUR_MS)
        .describe('How long a conversation keeps the API key it was given after its last request'),
      failedKeyTtlMs: z
        .number()
        .int()
        .positive()
        .default(HOUR_MS)
        .describe('How long an API key that failed authentication is skipped before it is tried again'),
    })
    .prefault({}),
});

/** The validated options. */
export type DroidOptions = z.infer<typeof droidOptionsSchema>;

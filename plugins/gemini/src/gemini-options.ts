/**
 * The Gemini plugin's options (its entry in the config's `plugins` list, or
 * `pluginOptions.gemini`): the Google OAuth client and endpoints used by `gemini-oauth`
 * accounts, and the Code Assist endpoint. Every URL can point at a local server (tests,
 * private deployments).
 */
import { z } from '@switchyard/plugin-api';

/** The options schema. No OAuth client is built in: operators configure their own. */
export const geminiOptionsSchema = z.object({
  oauth: z
    .object({
      clientId: z
        .string()
        .min(1)
        .optional()
        .describe('OAuth client id of your Google Cloud OAuth client (required for gemini-oauth login)'),
      clientSecret: z
        .string()
        .min(1)
        .optional()
        .describe('OAuth client secret (installed-app clients have one that is not secret)'),
      authorizationUrl: z.string().url().default('https://accounts.google.com/o/oauth2/v2/auth'),
      tokenUrl: z.string().url().default('https://oauth2.googleapis.com/token'),
      redirectUri: z.string().min(1).default('https://codeassist.google.com/authcode'),
      scopes: z
        .array(z.string())
        .default([
          'https://www.googleapis.com/auth/cloud-platform',
          'https://www.googleapis.com/auth/userinfo.email',
          'https://www.googleapis.com/auth/userinfo.profile',
        ]),
    })
    .prefault({}),
  /** Code Assist API origin (Gemini CLI's "login with Google" backend). */
  codeAssistEndpoint: z.string().url().default('https://cloudcode-pa.googleapis.com'),
  codeAssistApiVersion: z.string().min(1).default('v1internal'),
  /** Pause between polls of an onboarding operation. */
  onboardPollIntervalMs: z.number().int().min(0).default(5000),
  /** Most polls of an onboarding operation before giving up. */
  onboardMaxPolls: z.number().int().min(1).max(60).default(12),
  /** Refresh OAuth tokens this long before they expire. */
  refreshAheadMs: z
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
});

/** The validated options. */
export type GeminiOptions = z.infer<typeof geminiOptionsSchema>;

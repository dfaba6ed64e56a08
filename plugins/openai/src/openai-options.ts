/**
 * The OpenAI plugin's options (`pluginOptions.openai` or the plugin's entry): the
 * ChatGPT/Codex OAuth client and endpoints used by `openai-codex` accounts. No OAuth
 * client id is built in: operators configure their own.
 */
import { z } from '@switchyard/plugin-api';

/** The options schema. */
export const openAiOptionsSchema = z.object({
  codex: z
    .object({
      clientId: z
        .string()
        .min(1)
        .optional()
        .describe('OAuth client id for the ChatGPT login (required for openai-codex login and refresh)'),
      authorizationUrl: z.string().url().default('https://auth.openai.com/oauth/authorize'),
      tokenUrl: z.string().url().default('https://auth.openai.com/oauth/token'),
      redirectUri: z.string().min(1).default('http://localhost:1455/auth/callback'),
      scopes: z.array(z.string()).default(['openid', 'profile', 'email', 'offline_access']),
      /** The Codex backend (Responses API) root. */
      endpoint: z.string().url().default('https://chatgpt.com/backend-api/codex'),
      /** Refresh tokens this long before they expire. */
      refreshAheadMs: z
        .number()
        .int()
        .min(0)
        .default(5 * 60_000),
    })
    .prefault({}),
});

/** The validated options. */
export type OpenAiOptions = z.infer<typeof openAiOptionsSchema>;

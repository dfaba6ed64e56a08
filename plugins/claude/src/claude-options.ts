/**
 * The Claude plugin's options (its entry in the config's `plugins` list, or
 * `pluginOptions.claude`): where the Anthropic API and the Claude OAuth endpoints live.
 * The defaults are Anthropic's real endpoints; tests and private deployments point them
 * elsewhere.
 */
import { z } from '@switchyard/plugin-api';

/** Anthropic's public API origin, used when an account has no `baseUrl`. */
export const ANTHROPIC_API_URL = 'https://api.anthropic.com';

/** The OAuth client Claude Code uses for Pro/Max logins. */
export const CLAUDE_OAUTH_DEFAULTS = {
  authorizeUrl: 'https://claude.ai/oauth/authorize',
  tokenUrl: 'https://platform.claude.com/v1/oauth/token',
  clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
  redirectUri: 'https://platform.claude.com/oauth/code/callback',
  scopes: 'org:create_api_key user:profile user:inference user:sessions:claude_code user:mcp_servers user:file_upload',
} as const;

/** The plugin's options schema; every field has Anthropic's real default. */
export const claudeOptionsSchema = z.object({
  /** API origin for accounts without their own `baseUrl`. */
  apiUrl: z.string().url().default(ANTHROPIC_API_URL),
  oauth: z
    .object({
      authorizeUrl: z.string().url().default(CLAUDE_OAUTH_DEFAULTS.authorizeUrl),
      tokenUrl: z.string().url().default(CLAUDE_OAUTH_DEFAULTS.tokenUrl),
      clientId: z.string().min(1).default(CLAUDE_OAUTH_DEFAULTS.clientId),
      redirectUri: z.string().url().default(CLAUDE_OAUTH_DEFAULTS.redirectUri),
      scopes: z.string().min(1).default(CLAUDE_OAUTH_DEFAULTS.scopes),
    })
    .prefault({}),
  /** The OAuth profile endpoint (subscription tier). */
  profileUrl: z.string().url().default(`${ANTHROPIC_API_URL}/api/oauth/profile`),
  /** The OAuth usage endpoint (5-hour and 7-day utilisation). */
  usageUrl: z.string().url().default(`${ANTHROPIC_API_URL}/api/oauth/usage`),
});

/** The validated options. */
export type ClaudeOptions = z.infer<typeof claudeOptionsSchema>;

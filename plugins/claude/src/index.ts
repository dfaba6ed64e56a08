/**
 * @switchyard/plugin-claude: the Anthropic Messages protocol (Claude Code, the official
 * SDKs), the `claude-oauth` (Pro/Max subscription) and `claude-console` (API key,
 * Anthropic-compatible endpoint) account types, the `/api`, `/claude` and root routes,
 * and Claude prices. A faithful relay: client headers, betas and bodies go upstream as
 * they came; only the credential is swapped.
 *
 * @packageDocumentation
 */
import { PLUGIN_API_VERSION, definePlugin, type PluginParts } from '@switchyard/plugin-api';
import { anthropicMessagesProtocol } from './anthropic-messages-protocol.js';
import { claudeCodeClientDetector } from './claude-code-client-detector.js';
import { createClaudeConsoleAccountType } from './claude-console-account-type.js';
import { createClaudeOAuthAccountType } from './claude-oauth-account-type.js';
import { claudeOptionsSchema, type ClaudeOptions } from './claude-options.js';
import { CLAUDE_MODEL_IDS, claudePricing } from './claude-pricing.js';
import { flagAssumedPrices } from './flag-assumed-prices.js';
import { claudeRoutes } from './claude-routes.js';
import { DailyQuotaGuard } from './daily-quota.js';
import { FamilyRateLimits } from './family-rate-limits.js';
import { RateLimitStatusBook } from './rate-limit-status.js';

/** How often state shared between gateway instances (quota totals, family limits) is re-read. */
const RELOAD_MS = 30_000;

/**
 * The parts of the Claude plugin that depend on its options: the account types (they
 * call the configured endpoints) and the setup, sharing one rate-limit book per gateway.
 */
function createClaudeParts(options: ClaudeOptions): PluginParts<ClaudeOptions> {
  const rateLimits = new RateLimitStatusBook();
  const oauthType = createClaudeOAuthAccountType(options, rateLimits);
  const consoleType = createClaudeConsoleAccountType(options);
  return {
    accountTypes: [oauthType, consoleType],
    setup(env) {
      const claudeTypes = new Set([oauthType.id, consoleType.id]);
      const quota = new DailyQuotaGuard(env.kv, claudeTypes);
      env.scheduler.addFilter(quota.filter);
      env.usage.addSink(quota.sink);
      env.lifecycle.every('claude-daily-quota-reload', RELOAD_MS, () => quota.reload());
      const familyLimits = new FamilyRateLimits(env.kv, claudeTypes);
      env.scheduler.onAccountError(familyLimits.reaction);
      env.scheduler.addFilter(familyLimits.filter);
      env.scheduler.addFilter(rateLimits.filter);
      env.lifecycle.every('claude-family-rate-limits-reload', RELOAD_MS, () => familyLimits.reload());
      env.usage.addEnricher(flagAssumedPrices(env.pluginId, env.log));
      env.keys.addClientDetector(claudeCodeClientDetector);
    },
  };
}

/**
 * The Claude plugin (the package's default export). It holds no state: the core calls
 * `create` once per gateway with the validated options.
 */
export const claudePlugin = definePlugin({
  id: 'claude',
  apiVersion: PLUGIN_API_VERSION,
  description: 'Anthropic Messages relay for Claude Code and the Anthropic SDKs: Claude subscriptions (OAuth) and API keys.',
  options: claudeOptionsSchema,
  protocols: [anthropicMessagesProtocol],
  routes: claudeRoutes,
  pricing: claudePricing,
  knownModels: CLAUDE_MODEL_IDS,
  create: ({ options }) => createClaudeParts(options),
});

export default claudePlugin;

export { anthropicMessagesProtocol, ANTHROPIC_MESSAGES, describeAnthropicRequest } from './anthropic-messages-protocol.js';
export { anthropicUsageCodec, toUsage } from './anthropic-usage-codec.js';
export { anthropicErrorType, renderAnthropicError, renderAnthropicStreamError } from './anthropic-error.js';
export { anthropicSessionKey, sessionFromUserId, hashCachedSystemBlocks } from './anthropic-session-key.js';
export {
  createClaudeConsoleAccountType,
  claudeConsoleCredentialsSchema,
  type ClaudeConsoleCredentials,
} from './claude-console-account-type.js';
export { createClaudeOAuthAccountType } from './claude-oauth-account-type.js';
export { claudeOAuthCredentialsSchema, type ClaudeOAuthCredentials } from './claude-oauth-credentials.js';
export { claudeOptionsSchema, type ClaudeOptions, ANTHROPIC_API_URL, CLAUDE_OAUTH_DEFAULTS } from './claude-options.js';
export { claudePricing, claudePrice, ASSUMED_PRICE_ENTRIES, CLAUDE_MODEL_IDS, LONG_CONTEXT_TOKENS } from './claude-pricing.js';
export { classifyClaudeError, MAX_RATE_LIMIT_WAIT_MS } from './classify-claude-error.js';
export { claudeRoutes, CLAUDE_MOUNTS } from './claude-routes.js';
export { withOAuthBeta, OAUTH_BETA } from './claude-oauth-headers.js';
export { parsePastedCode } from './claude-oauth-flows.js';
export { createPkcePair } from '@switchyard/plugin-api';
export { claudeCodeClientDetector } from './claude-code-client-detector.js';
export { modelFamily } from './model-family.js';

/**
 * Client key authentication and the checks every key gets before a request is
 * relayed: enabled, not expired, then every key policy plugins registered.
 */
import type { Context } from 'koa';
import { GatewayError, type KeyPolicy } from '@switchyard/plugin-api';
import { extractClientKey } from '../auth/extract-client-key.js';
import type { KeyRecord } from '../store/types.js';
import { advance, type AuthenticatedRequest, type DescribedRequest, type ReceivedRequest } from '../relay/request-stages.js';
import { keyView } from '../keys/key-view.js';

/** What authentication needs from the key service. */
export interface KeyAuthenticator {
  authenticate(presented: string): Promise<KeyRecord | undefined>;
  touch(id: string): void;
}

/** Finds and checks the client's key; throws a GatewayError when it is missing or refused. */
export async function authenticateKey(
  ctx: Context,
  request: ReceivedRequest,
  keys: KeyAuthenticator,
): Promise<AuthenticatedRequest & { readonly key: KeyRecord }> {
  const found = extractClientKey(ctx.req.headers, new URLSearchParams(ctx.querystring));
  if (!found.key) {
    throw new GatewayError(
      'missing_api_key',
      'No API key was sent. Send your Switchyard key in x-api-key or as Authorization: Bearer.',
    );
  }
  const key = await keys.authenticate(found.key);
  if (!key) throw new GatewayError('invalid_api_key', 'The API key is not valid.');
  // Known from here on, even when refused: the request log names the key a refusal was for.
  const authenticated = advance(request, { key });
  if (!key.enabled) throw new GatewayError('key_disabled', 'This API key is disabled.');
  if (key.expiresAt && Date.parse(key.expiresAt) <= request.startedAt) {
    throw new GatewayError('key_expired', `This API key expired at ${key.expiresAt}.`, { details: { expiresAt: key.expiresAt } });
  }
  keys.touch(key.id);
  return authenticated;
}

/** Runs every registered key policy; the first to throw refuses the request. */
export async function runKeyPolicies(key: KeyRecord, state: DescribedRequest, policies: readonly KeyPolicy[]): Promise<void> {
  if (policies.length === 0) return;
  const context = {
    key: keyView(key),
    limits: key.limits,
    request: state.inbound,
    facts: state.facts,
    protocol: { id: state.protocol.definition.id, family: state.protocol.definition.family },
  };
  for (const policy of policies) {
    await policy.check(context);
  }
}

/**
 * Client key authentication and the checks every key gets before a request is
 * relayed: enabled, not expired, then every key policy plugins registered.
 */
import type { Context } from 'koa';
import { GatewayError, type KeyPolicy } from '@switchyard/plugin-api';
import { extractClientKey } from '../auth/extract-client-key.js';
import type { KeyRecord } from '../store/types.js';
import type { RequestState } from '../relay/request-state.js';
import { keyView } from '../relay/relay-service.js';

/** What authentication needs from the key service. */
export interface KeyAuthenticator {
  authenticate(presented: string): Promise<KeyRecord | undefined>;
  touch(id: string): void;
}

/** Finds and checks the client's key; throws a GatewayError when it is missing or refused. */
export async function authenticateKey(ctx: Context, state: RequestState, keys: KeyAuthenticator): Promise<void> {
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
  state.key = key;
  if (!key.enabled) throw new GatewayError('key_disabled', 'This API key is disabled.');
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) {
    throw new GatewayError('key_expired', `This API key expired at ${key.expiresAt}.`, { details: { expiresAt: key.expiresAt } });
  }
  keys.touch(key.id);
}

/** Runs every registered key policy; the first to throw refuses the request. */
export async function runKeyPolicies(state: RequestState, policies: readonly KeyPolicy[]): Promise<void> {
  const key = state.key!;
  const context = {
    key: keyView(key),
    limits: key.limits,
    request: state.inbound!,
    facts: state.facts!,
    protocol: { id: state.protocol.definition.id, family: state.protocol.definition.family },
  };
  for (const policy of policies) {
    await policy.check(context);
  }
}

/**
 * Drives an account type's interactive auth flows (OAuth with PKCE, device codes, pasted
 * tokens) generically: `start` keeps the flow's opaque state encrypted and short-lived in
 * the shared store under a random flow id, `complete` hands it back to the plugin and,
 * once the plugin has credentials, creates the account (or replaces an account's
 * credentials). The plugin's state never reaches the browser.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '@switchyard/plugin-api';
import type { AccountService } from '../accounts/account-service.js';
import type { AccountSummary } from '../accounts/account-types.js';
import type { UpstreamHttp } from '../http/upstream-http.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { GatewaySecrets } from '../security/secrets.js';
import type { Store } from '../store/types.js';
import { decryptJson, encryptJson } from '../security/cipher.js';
import { AdminApiError, found } from './admin-api-error.js';
import { formSchema } from './form-schema.js';

/** Store namespace of pending flows (not a plugin id: those have no dots). */
const NAMESPACE = 'switchyard.auth-flows';
/** How long a started flow may be completed. */
export const AUTH_FLOW_TTL_MS = 15 * 60_000;
const STEP_TIMEOUT_MS = 30_000;

interface PendingFlow {
  accountType: string;
  flow: string;
  state: Record<string, unknown>;
  expiresAt: number;
}

/** Options of {@link AuthFlowService}. */
export interface AuthFlowServiceOptions {
  store: Pick<Store, 'pluginKv'>;
  secrets: Pick<GatewaySecrets, 'cipherKey'>;
  registry: Pick<PluginRegistry, 'accountType'>;
  accounts: AccountService;
  http: UpstreamHttp;
  log: Logger;
}

/** What completing a flow asks for besides the operator's input. */
export interface CompleteFlowOptions {
  input: Record<string, string>;
  name?: string;
  priority?: number;
  groups?: string[];
  accountId?: string;
}

/** Starts and completes account auth flows. */
export class AuthFlowService {
  constructor(private readonly options: AuthFlowServiceOptions) {}

  /** Starts flow `flowId` of `accountType`. */
  async start(accountType: string, flowId: string) {
    const flow = this.flow(accountType, flowId);
    const started = await flow.start(this.context());
    const id = randomBytes(18).toString('base64url');
    const expiresAt = Date.now() + AUTH_FLOW_TTL_MS;
    const pending: PendingFlow = { accountType, flow: flowId, state: started.state, expiresAt };
    await this.options.store.pluginKv.set(NAMESPACE, id, encryptJson(this.options.secrets.cipherKey, pending), AUTH_FLOW_TTL_MS);
    return {
      flowId: id,
      authorizationUrl: started.authorizationUrl,
      userCode: started.userCode,
      verificationUrl: started.verificationUrl,
      instructions: started.instructions,
      inputSchema: started.input ? formSchema(started.input) : undefined,
      pollIntervalMs: started.pollIntervalMs,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** Completes a started flow; creates (or updates) the account once the plugin has credentials. */
  async complete(id: string, options: CompleteFlowOptions): Promise<{ status: 'pending' | 'done'; account?: AccountSummary }> {
    const envelope = await this.options.store.pluginKv.get<string>(NAMESPACE, id);
    if (typeof envelope !== 'string')
      throw new AdminApiError('not_found', 'This sign-in flow expired or does not exist; start again.');
    const pending = decryptJson<PendingFlow>(this.options.secrets.cipherKey, envelope);
    const flow = this.flow(pending.accountType, pending.flow);
    const outcome = await flow.complete(this.context(), pending.state, options.input);
    if (outcome.status === 'pending') return { status: 'pending' };
    await this.options.store.pluginKv.delete(NAMESPACE, id);
    const credentials = outcome.credentials as Record<string, unknown>;
    if (options.accountId !== undefined) {
      const updated = await this.options.accounts.update(options.accountId, { credentials, source: 'admin' });
      return { status: 'done', account: found(updated, 'account') };
    }
    const account = await this.options.accounts.create({
      type: pending.accountType,
      name: options.name ?? outcome.suggestedName ?? `${pending.accountType} account`,
      credentials,
      ...(outcome.settings ? { settings: outcome.settings } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.groups ? { groups: options.groups } : {}),
      source: 'admin',
    });
    return { status: 'done', account };
  }

  private flow(accountType: string, flowId: string) {
    const type = found(this.options.registry.accountType(accountType), 'account type');
    return found(
      type.definition.authFlows?.find((flow) => flow.id === flowId),
      'auth flow',
    );
  }

  private context() {
    return { http: this.options.http.client(), log: this.options.log, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) };
  }
}

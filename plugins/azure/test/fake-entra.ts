/**
 * A fake Microsoft Entra ID token endpoint for the tests: a real HTTP server on 127.0.0.1
 * answering `POST /{tenant}/oauth2/v2.0/token` the way the Microsoft identity platform
 * answers the client credentials grant: it checks the form (grant type, client id and
 * secret, scope) and issues numbered tokens, or answers Entra's error JSON
 * (`invalid_client` for a wrong secret, `invalid_scope`, `unsupported_grant_type`).
 */
import { startFakeUpstream, type FakeUpstream } from '@switchyard/core/testing';

/** The app registration the fake knows. */
export const ENTRA_APP = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '3f1c2b9a-5d4e-4c7b-8a6f-0e9d1c2b3a4f',
  clientSecret: 'entra-client-secret~Q8x.7vW2pL4mN6kR9tY1',
} as const;

/** The scope of Azure OpenAI tokens. */
export const COGNITIVE_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** A fake token endpoint and the tokens it issued, in order. */
export interface FakeEntra extends FakeUpstream {
  readonly issued: string[];
}

function entraError(status: number, error: string, description: string): { status: number; body: string } {
  return { status, body: JSON.stringify({ error, error_description: description, error_codes: [status], timestamp: '' }) };
}

/** Starts the fake; tokens live `expiresIn` seconds (default 3599, as Entra says). */
export async function startFakeEntra(options: { expiresIn?: number } = {}): Promise<FakeEntra> {
  const issued: string[] = [];
  const fake = await startFakeUpstream((req, res) => {
    const answer = (() => {
      if (req.method !== 'POST' || req.path !== `/${ENTRA_APP.tenantId}/oauth2/v2.0/token`) {
        return entraError(400, 'invalid_request', `AADSTS90002: Tenant or path not found (${req.method} ${req.path}).`);
      }
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        return entraError(400, 'invalid_request', 'AADSTS900144: The request body must contain the parameter: grant_type.');
      }
      const form = new URLSearchParams(req.body.toString('utf8'));
      if (form.get('grant_type') !== 'client_credentials') {
        return entraError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
      }
      if (form.get('client_id') !== ENTRA_APP.clientId || form.get('client_secret') !== ENTRA_APP.clientSecret) {
        return entraError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
      }
      if (form.get('scope') !== COGNITIVE_SCOPE) {
        return entraError(400, 'invalid_scope', 'AADSTS1002012: The provided value for scope is not valid.');
      }
      const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-entra-token-${issued.length + 1}`;
      issued.push(token);
      const lifetime = options.expiresIn ?? 3599;
      return {
        status: 200,
        body: JSON.stringify({ token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token }),
      };
    })();
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' }).end(answer.body);
  });
  return Object.assign(fake, { issued });
}

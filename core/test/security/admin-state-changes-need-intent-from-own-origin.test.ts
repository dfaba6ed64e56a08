/**
 * Issue 14, item 5: a state-changing admin request (POST, PUT, PATCH, DELETE under
 * /admin/api, sign-in and sign-out included) is carried out only when it shows intent
 * (a JSON body, or a header a cross-site form or simple request cannot set) and, from a
 * browser, comes from the admin's own origin. SameSite=Strict alone lets a page on
 * another port or a sibling subdomain (same site) post forms with the admin's cookie.
 */
import { expect } from 'chai';
import { sendRequest, type SentResponse } from '@switchyard/core/testing';
import { ADMIN, startAdminHarness, type AdminHarness } from '../admin-api/admin-harness.js';

function errorOf(res: SentResponse): { status: number; type: string | undefined } {
  return { status: res.status, type: res.json<{ error?: { type?: string } }>().error?.type };
}
const REFUSED = { status: 403, type: 'forbidden' };

describe("admin state changes need intent and the admin's own origin", () => {
  let h: AdminHarness;
  let cookie: string;
  let ownOrigin: string;
  before(async () => {
    h = await startAdminHarness();
    ownOrigin = h.tg.url;
    const login = await h.call('POST', 'api/login', {
      body: ADMIN,
      headers: { origin: ownOrigin, 'sec-fetch-site': 'same-origin' },
    });
    expect(login.status).to.equal(200);
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
  });
  after(async () => h?.close());

  const keyEnabled = async () => {
    const res = await h.call('GET', `api/keys/${h.tg.keyId}`, { headers: { cookie } });
    expect(res.status).to.equal(200);
    return res.json<{ enabled: boolean }>().enabled;
  };
  const disable = (headers: Record<string, string>, body?: string, path = `api/keys/${h.tg.keyId}/disable`) =>
    h.call('POST', path, { headers: { cookie, ...headers }, ...(body === undefined ? {} : { body }) });

  it('refuses a form-encoded POST carrying the session cookie (403, admin shape), and changes nothing', async () => {
    const res = await disable({ 'content-type': 'application/x-www-form-urlencoded' }, 'confirm=1');
    expect(errorOf(res)).to.deep.equal(REFUSED);
    expect(await keyEnabled()).to.equal(true);
  });

  it('refuses text/plain and multipart form posts, and a bodyless POST without a custom header', async () => {
    expect(errorOf(await disable({ 'content-type': 'text/plain' }, '{"x":1}'))).to.deep.equal(REFUSED);
    expect(errorOf(await disable({ 'content-type': 'multipart/form-data; boundary=b' }, '--b--\r\n'))).to.deep.equal(REFUSED);
    expect(errorOf(await disable({}))).to.deep.equal(REFUSED);
    expect(await keyEnabled()).to.equal(true);
  });

  it('refuses a JSON request from a foreign origin (another port of the same host), or with Origin: null', async () => {
    const otherPort = ownOrigin.replace(/:(\d+)$/, (_, port: string) => `:${Number(port) + 1}`);
    for (const origin of [otherPort, 'http://evil.example', 'null']) {
      const res = await h.call('PATCH', `api/keys/${h.tg.keyId}`, { headers: { cookie, origin }, body: { enabled: false } });
      expect(errorOf(res), origin).to.deep.equal(REFUSED);
    }
    expect(await keyEnabled()).to.equal(true);
  });

  it('refuses Sec-Fetch-Site: same-site and cross-site, even with a JSON body and a custom header', async () => {
    for (const site of ['same-site', 'cross-site']) {
      const res = await disable(
        { 'sec-fetch-site': site, 'content-type': 'application/json', 'x-requested-with': 'switchyard-admin' },
        '{}',
      );
      expect(errorOf(res), site).to.deep.equal(REFUSED);
    }
    expect(await keyEnabled()).to.equal(true);
  });

  it('refuses a forged sign-in, sign-out or sign-everyone-out from another origin', async () => {
    const foreign = { origin: 'http://sibling.example', 'sec-fetch-site': 'same-site' };
    expect(errorOf(await h.call('POST', 'api/login', { body: ADMIN, headers: foreign }))).to.deep.equal(REFUSED);
    const logout = await h.call('POST', 'api/logout', {
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(errorOf(logout)).to.deep.equal(REFUSED);
    expect(logout.headers['set-cookie']).to.equal(undefined);
    const rotate = await h.call('POST', 'api/sessions/rotate', {
      headers: { cookie, ...foreign },
      body: { signOutEveryone: true },
    });
    expect(errorOf(rotate)).to.deep.equal(REFUSED);
    expect((await h.call('GET', 'api/session', { headers: { cookie } })).status).to.equal(200);
  });

  it('cannot be stepped around by writing the path in another case', async () => {
    const res = await disable({ 'content-type': 'application/x-www-form-urlencoded' }, 'a=1', `API/keys/${h.tg.keyId}/disable`);
    expect(errorOf(res)).to.deep.equal(REFUSED);
    const upper = await sendRequest(`${h.tg.url}/ADMIN/api/keys/${h.tg.keyId}/disable`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain' },
      body: 'a=1',
    });
    expect(errorOf(upper)).to.deep.equal(REFUSED);
    expect(await keyEnabled()).to.equal(true);
  });

  it("lets the web admin's own requests through: JSON, or bodyless with its custom header, from its origin", async () => {
    const fromUi = { cookie, origin: ownOrigin, 'sec-fetch-site': 'same-origin' };
    const patched = await h.call('PATCH', `api/keys/${h.tg.keyId}`, {
      headers: fromUi,
      body: { description: 'set from the UI' },
    });
    expect(patched.status).to.equal(200);
    const disabled = await h.call('POST', `api/keys/${h.tg.keyId}/disable`, {
      headers: { ...fromUi, 'x-requested-with': 'switchyard-admin' },
    });
    expect(disabled.status).to.equal(200);
    expect(await keyEnabled()).to.equal(false);
    const enabled = await h.call('POST', `api/keys/${h.tg.keyId}/enable`, {
      headers: { ...fromUi, 'x-requested-with': 'switchyard-admin' },
    });
    expect(enabled.status).to.equal(200);
    expect(await keyEnabled()).to.equal(true);
  });

  it('lets scripts through: a bearer token shows intent, and without Origin or Sec-Fetch-Site no browser is involved', async () => {
    const token = await h.login();
    const res = await h.call('POST', `api/keys/${h.tg.keyId}/enable`, { token });
    expect(res.status).to.equal(200);
  });
});

describe("the admin's own origin behind a trusted TLS proxy, or as configured", () => {
  let h: AdminHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('is the scheme and host the proxy forwarded', async () => {
    h = await startAdminHarness({ server: { trustProxy: true } });
    const proxied = { host: 'admin.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };
    const ok = await h.call('POST', 'api/login', {
      body: ADMIN,
      headers: { ...proxied, origin: 'https://admin.example.com', 'sec-fetch-site': 'same-origin' },
    });
    expect(ok.status).to.equal(200);
    const plainHttp = await h.call('POST', 'api/login', {
      body: ADMIN,
      headers: { ...proxied, origin: 'http://admin.example.com' },
    });
    expect(errorOf(plainHttp)).to.deep.equal(REFUSED);
  });

  it("is the browser's word when it sends Sec-Fetch-Site: a same-origin request through a proxy that does not forward the scheme passes, a same-site one does not", async () => {
    // No trustProxy: the gateway sees http://127.0.0.1:<port>, the browser https://admin.example.com.
    h = await startAdminHarness();
    const fromUi = { host: 'admin.example.com', origin: 'https://admin.example.com' };
    const ok = await h.call('POST', 'api/login', { body: ADMIN, headers: { ...fromUi, 'sec-fetch-site': 'same-origin' } });
    expect(ok.status).to.equal(200);
    const sibling = await h.call('POST', 'api/login', {
      body: ADMIN,
      headers: { ...fromUi, origin: 'https://evil.example.com', 'sec-fetch-site': 'same-site' },
    });
    expect(errorOf(sibling)).to.deep.equal(REFUSED);
    const oldBrowser = await h.call('POST', 'api/login', { body: ADMIN, headers: { origin: 'https://evil.example.com' } });
    expect(errorOf(oldBrowser)).to.deep.equal(REFUSED);
  });

  it('is also admin.publicUrl when set', async () => {
    h = await startAdminHarness({ admin: { publicUrl: 'https://gw.example.com/' } });
    const ok = await h.call('POST', 'api/login', { body: ADMIN, headers: { origin: 'https://gw.example.com' } });
    expect(ok.status).to.equal(200);
    const other = await h.call('POST', 'api/login', { body: ADMIN, headers: { origin: 'https://other.example.com' } });
    expect(errorOf(other)).to.deep.equal(REFUSED);
  });
});

import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { adminApiRoutes } from '../../src/admin-api/admin-routes.js';
import { buildOpenApiDocument } from '../../src/admin-api/openapi.js';
import { startAdminHarness, type AdminHarness } from './admin-harness.js';

describe('admin API: settings, pricing, OpenAPI and the static admin', () => {
  let h: AdminHarness;
  let token: string;
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sy-admin-ui-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>admin shell</title>');
    mkdirSync(join(dir, '_app', 'immutable'), { recursive: true });
    writeFileSync(join(dir, '_app', 'immutable', 'app.js'), 'console.log(1)');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    h = await startAdminHarness({ admin: { staticDir: dir } });
    token = await h.login();
  });
  afterEach(async () => h.close());

  it('reads and changes runtime settings, validating them', async () => {
    const initial = (await h.call('GET', 'api/settings', { token })).json<{
      stickyTtlMs: number;
      cooldownMs: Record<string, number>;
    }>();
    expect(initial.stickyTtlMs).to.equal(3_600_000);
    expect(initial.cooldownMs['rate_limited']).to.equal(60_000);
    const bad = await h.call('PUT', 'api/settings', { token, body: { stickyTtlMs: -1, nope: 1 } });
    expect(bad.status).to.equal(400);
    expect(bad.json<{ error: { problems: string[] } }>().error.problems.join('\n'))
      .to.match(/stickyTtlMs/)
      .and.match(/nope/);
    const changed = await h.call('PUT', 'api/settings', {
      token,
      body: { stickyTtlMs: 60_000, cooldownMs: { rate_limited: 5000 }, queue: { maxWaitMs: 1000 } },
    });
    expect(changed.json()).to.deep.include({ stickyTtlMs: 60_000, queue: { enabled: false, maxWaitMs: 1000 } });
    const again = (await h.call('GET', 'api/settings', { token })).json<{ cooldownMs: Record<string, number> }>();
    expect(again.cooldownMs).to.deep.include({ rate_limited: 5000, overloaded: initial.cooldownMs['overloaded'] });
  });

  it('shows prices with overrides', async () => {
    const before = (await h.call('GET', 'api/pricing', { token })).json<{ model: string; source: string }[]>();
    expect(before.length).to.be.greaterThan(0);
    expect(
      (await h.call('PUT', 'api/pricing/overrides', { token, body: { 'echo-1': { input: -1, output: 1 } } })).status,
    ).to.equal(400);
    expect(
      (await h.call('PUT', 'api/pricing/overrides', { token, body: { 'echo-9': { input: 1, output: 2 } } })).status,
    ).to.equal(200);
    const after = (await h.call('GET', 'api/pricing', { token })).json<{ model: string; source: string }[]>();
    expect(after.find((row) => row.model === 'echo-9')).to.deep.include({ source: 'override', input: 1 });
  });

  it('serves an OpenAPI 3.1 document describing every route', async () => {
    const res = await h.call('GET', 'api/openapi.json', { token });
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, { operationId: string }>> }>();
    expect(doc.openapi).to.equal('3.1.0');
    const ids = Object.values(doc.paths).flatMap((path) => Object.values(path).map((op) => op.operationId));
    for (const route of adminApiRoutes) expect(ids).to.include(route.id);
    expect(doc.paths['/api/accounts/{id}']).to.have.keys(['get', 'patch', 'delete']);
  });

  it('matches the document the web admin client was generated from (run npm run generate-api -w @switchyard/admin)', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../../admin/src/lib/api/openapi.json'), 'utf8'));
    expect(committed).to.deep.equal(buildOpenApiDocument());
  });

  it('serves the web admin with a single-page fallback, and redirects /web and /admin', async () => {
    const root = await h.call('GET', '');
    expect(root.status).to.equal(200);
    expect(root.text()).to.contain('admin shell');
    const deep = await h.call('GET', 'keys/abc');
    expect(deep.status).to.equal(200);
    expect(deep.text()).to.contain('admin shell');
    expect(deep.headers['x-frame-options']).to.equal('DENY');
    expect(deep.headers['content-security-policy']).to.contain("frame-ancestors 'none'");
    const asset = await h.call('GET', '_app/immutable/app.js');
    expect(asset.headers['cache-control']).to.contain('immutable');
    expect((await h.call('GET', '_app/immutable/missing.js')).status).to.equal(404);
    const bare = await h.call('GET', '../admin');
    expect(bare.status).to.equal(302);
    const web = await h.call('GET', '../web');
    expect(web.status).to.equal(302);
    expect(web.headers.location).to.equal('/admin/');
    expect((await h.call('GET', '../echo/v1/models', { headers: {} })).status).to.equal(401);
  });
});

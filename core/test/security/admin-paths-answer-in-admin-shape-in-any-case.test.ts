/**
 * Issue 14, item 10 (admin part): the admin API routes paths case-insensitively, and its
 * error handling agrees, so `/admin/API/keys` or `/ADMIN/api/keys` get the admin's own
 * answers (401 to strangers, the route or 404 to admins), in the admin's error shape,
 * never a 500.
 */
import { expect } from 'chai';
import { startAdminHarness, type AdminHarness } from '../admin-api/admin-harness.js';
import { sendRequest } from '@switchyard/core/testing';

const SPELLINGS = ['/admin/API/keys', '/ADMIN/api/keys', '/Admin/Api/Keys', '/ADMIN/API/KEYS'];

function adminErrorType(res: { json<T>(): T }): string | undefined {
  return res.json<{ error?: { type?: string } }>().error?.type;
}

describe('admin API paths in any letter case', () => {
  let h: AdminHarness;
  before(async () => {
    h = await startAdminHarness();
  });
  after(async () => h?.close());

  for (const path of SPELLINGS) {
    it(`answers ${path} without a session with 401 in the admin's shape`, async () => {
      const res = await sendRequest(`${h.tg.url}${path}`);
      expect(res.status).to.equal(401);
      expect(adminErrorType(res)).to.equal('unauthorized');
    });
  }

  it('serves the route to a signed-in admin whatever the case', async () => {
    const token = await h.login();
    for (const path of SPELLINGS) {
      const res = await sendRequest(`${h.tg.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).to.equal(200);
      expect(res.json(), path).to.be.an('array');
    }
  });

  it('answers an unknown route in any case with 401 to strangers and 404 to admins, in the admin shape', async () => {
    const token = await h.login();
    for (const path of ['/ADMIN/API/no-such-route', '/admin/Api/no-such-route']) {
      const stranger = await sendRequest(`${h.tg.url}${path}`);
      expect([stranger.status, adminErrorType(stranger)], path).to.deep.equal([401, 'unauthorized']);
      const admin = await sendRequest(`${h.tg.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect([admin.status, adminErrorType(admin)], path).to.deep.equal([404, 'not_found']);
    }
  });

  it('logs no failed admin request for any of them', () => {
    expect(h.tg.logs.filter((line) => line['level'] === 'error' || line['level'] === 50)).to.deep.equal([]);
  });
});

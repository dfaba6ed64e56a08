/**
 * Model aliases set in the admin: a group's table (for keys bound to the group) and a
 * key's own (which wins), applied before scheduling; the request log shows the model
 * the client asked for and the one served. Both stores keep the tables.
 */
import { expect } from 'chai';
import { sendRequest, waitFor } from '@switchyard/core/testing';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from './admin-harness.js';

interface LoggedRequest {
  model?: string;
  requestedModel?: string;
  status: number;
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`admin: model aliases of groups and keys (${store} store)`, () => {
    let h: AdminHarness;
    let token: string;
    beforeEach(async () => {
      h = await startAdminHarness({}, [], store);
      token = await h.login();
      const account = await h.call('POST', 'api/accounts', {
        token,
        body: {
          type: 'echo-key',
          name: 'Echo',
          groups: ['team'],
          credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url },
        },
      });
      expect(account.status, account.text()).to.equal(201);
    });
    afterEach(async () => h.close());

    const echo = (key: string, model: string) =>
      sendRequest(`${h.tg.url}/echo/v1/echo`, { headers: { authorization: `Bearer ${key}` }, body: { model, input: 'a b' } });

    it('applies the group table and the key table (the key wins), and logs requested and served models', async () => {
      const refused = await h.call('PUT', 'api/groups/team', {
        token,
        body: { name: 'Team', modelAliases: { 'team-*': 'echo-*' } },
      });
      expect(refused.status, 'a served model is an exact id').to.equal(400);
      const group = await h.call('PUT', 'api/groups/team', {
        token,
        body: { name: 'Team', modelAliases: { 'team-*': 'echo-1', 'team-small': 'echo-2' } },
      });
      expect(group.status, group.text()).to.equal(200);
      const listed = (await h.call('GET', 'api/groups', { token })).json<{ id: string; modelAliases?: unknown }[]>();
      expect(listed.find((entry) => entry.id === 'team')!.modelAliases).to.deep.equal({
        'team-*': 'echo-1',
        'team-small': 'echo-2',
      });

      const created = await h.call('POST', 'api/keys', {
        token,
        body: { name: 'dev', limits: { binding: { group: 'team' }, modelAliases: { 'team-small': 'echo-3' } } },
      });
      expect(created.status, created.text()).to.equal(201);
      const { plaintext } = created.json<{ plaintext: string }>();

      expect((await echo(plaintext, 'team-large')).status).to.equal(200);
      expect((await echo(plaintext, 'team-small')).status).to.equal(200);
      expect((await echo(plaintext, 'echo-1')).status).to.equal(200);
      expect(h.upstream.requests.map((request) => request.json<{ model: string }>().model)).to.deep.equal([
        'echo-1',
        'echo-3',
        'echo-1',
      ]);

      const log = await waitFor(async () => {
        const page = (await h.call('GET', 'api/requests', { token })).json<{ items: LoggedRequest[]; total: number }>();
        return page.total === 3 ? page.items : undefined;
      });
      const served = log.map((item) => [item.requestedModel, item.model]).reverse();
      expect(served).to.deep.equal([
        ['team-large', 'echo-1'],
        ['team-small', 'echo-3'],
        [undefined, 'echo-1'],
      ]);
    });

    it('refuses an invalid key alias table with a clear message', async () => {
      const bad = await h.call('POST', 'api/keys', { token, body: { name: 'x', limits: { modelAliases: { a: '' } } } });
      expect(bad.status).to.equal(400);
      expect(bad.text()).to.contain('modelAliases');
    });
  });
}

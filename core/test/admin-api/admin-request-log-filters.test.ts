import { expect } from 'chai';
import type { UsageRecord } from '@switchyard/plugin-api';
import { sendRequest, waitFor } from '@switchyard/core/testing';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from './admin-harness.js';
import { usageRecord } from '../store/conformance/fixtures.js';

const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const MINUTE = 60_000;

/** Parses CSV as RFC 4180 (quoted cells, doubled quotes, CRLF lines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  return rows;
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`admin API: request log and usage filters, CSV export (${store} store)`, function () {
    this.timeout(30_000);
    let h: AdminHarness;
    let token: string;
    beforeEach(async () => {
      h = await startAdminHarness({}, [], store);
      token = await h.login();
      const records: UsageRecord[] = [
        usageRecord('ok-a', T0, 'key-a', { accountId: 'acc-1', model: 'echo-1', client: 'claude-cli', costMicros: 1_234_567 }),
        usageRecord('fail-a', T0 + MINUTE, 'key-a', {
          accountId: 'acc-2',
          status: 429,
          reason: 'rate_limited',
          keyName: '=HYPERLINK("http://evil")',
          client: 'curl',
        }),
        usageRecord('fail-b', T0 + 2 * MINUTE, 'key-b', { accountId: 'acc-2', status: 502 }),
        usageRecord('cut-a', T0 + 3 * MINUTE, 'key-a', { accountId: 'acc-1', incomplete: true, model: 'echo-2' }),
      ];
      await h.tg.gateway.store.usage.append(records);
    });
    afterEach(async () => h.close());

    const ids = async (query: string) => {
      const res = await h.call('GET', `api/requests?${query}`, { token });
      expect(res.status, res.text()).to.equal(200);
      const page = res.json<{ items: { id: string }[]; total: number }>();
      return { ids: page.items.map((item) => item.id), total: page.total };
    };

    it('filters the request log by key, outcome, account, model, status, client, search and range', async () => {
      expect(await ids('keyId=key-a&outcome=error')).to.deep.equal({ ids: ['cut-a', 'fail-a'], total: 2 });
      expect(await ids('accountId=acc-2')).to.deep.equal({ ids: ['fail-b', 'fail-a'], total: 2 });
      expect(await ids('model=echo-2')).to.deep.equal({ ids: ['cut-a'], total: 1 });
      expect(await ids('status=502')).to.deep.equal({ ids: ['fail-b'], total: 1 });
      expect(await ids('client=claude-cli')).to.deep.equal({ ids: ['ok-a'], total: 1 });
      expect(await ids('search=RATE_')).to.deep.equal({ ids: ['fail-a'], total: 1 });
      const since = new Date(T0 + MINUTE).toISOString();
      const before = new Date(T0 + 3 * MINUTE).toISOString();
      expect(await ids(`since=${since}&before=${before}&limit=1`)).to.deep.equal({ ids: ['fail-b'], total: 2 });
      const bad = await h.call('GET', 'api/requests?outcome=maybe&status=99', { token });
      expect(bad.status).to.equal(400);
      expect(bad.text()).to.contain('outcome').and.contain('status');
    });

    it('exports the filtered request log as CSV, every match, defused against formulas', async () => {
      const res = await h.call('GET', 'api/requests?keyId=key-a&outcome=error&limit=1', {
        token,
        headers: { accept: 'text/csv' },
      });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/csv/);
      expect(res.headers['content-disposition']).to.contain('requests.csv');
      const rows = parseCsv(res.text());
      const header = rows[0]!;
      const col = (row: string[], name: string) => row[header.indexOf(name)];
      expect(rows.slice(1).map((row) => col(row, 'id'))).to.deep.equal(['cut-a', 'fail-a']);
      const failed = rows.find((row) => col(row, 'id') === 'fail-a')!;
      expect(col(failed, 'status')).to.equal('429');
      expect(col(failed, 'reason')).to.equal('rate_limited');
      expect(col(failed, 'key_name')).to.equal(`'=HYPERLINK("http://evil")`);
      const all = parseCsv((await h.call('GET', 'api/requests', { token, headers: { accept: 'text/csv' } })).text());
      const ok = all.find((row) => col(row, 'id') === 'ok-a')!;
      expect(col(ok, 'cost_usd')).to.equal('1.234567');
      expect(all).to.have.length(5);
      // Without Accept: text/csv the answer stays JSON.
      expect((await h.call('GET', 'api/requests', { token })).headers['content-type']).to.match(/json/);
    });

    it('exports every record past one page, each once', async () => {
      const many = Array.from({ length: 2300 }, (_, i) => usageRecord(`m${i}`, T0 + 10 * MINUTE + Math.floor(i / 3), 'key-m'));
      await h.tg.gateway.store.usage.append(many);
      const rows = parseCsv((await h.call('GET', 'api/requests?keyId=key-m', { token, headers: { accept: 'text/csv' } })).text());
      const exported = rows.slice(1).map((row) => row[0]);
      expect(exported).to.have.length(2300);
      expect(new Set(exported).size).to.equal(2300);
    });

    it('filters the usage summary and exports it as CSV', async () => {
      const range = `since=${new Date(T0 - MINUTE).toISOString()}&until=${new Date(T0 + 10 * MINUTE).toISOString()}`;
      const summary = (await h.call('GET', `api/usage/summary?${range}&outcome=error`, { token })).json<{
        totals: { requests: number; errors: number };
        byKey: { id: string; requests: number }[];
      }>();
      expect(summary.totals).to.include({ requests: 3, errors: 3 });
      expect(summary.byKey.map((group) => [group.id, group.requests])).to.deep.equal([
        ['key-a', 2],
        ['key-b', 1],
      ]);
      const res = await h.call('GET', `api/usage/summary?${range}&accountId=acc-1`, { token, headers: { accept: 'text/csv' } });
      expect(res.headers['content-type']).to.match(/^text\/csv/);
      const rows = parseCsv(res.text());
      expect(rows[0]!.slice(0, 4)).to.deep.equal(['section', 'id', 'name', 'requests']);
      const total = rows.find((row) => row[0] === 'total')!;
      expect(total[3]).to.equal('2');
      expect(total[rows[0]!.indexOf('cost_usd')]).to.equal('1.234609');
      expect(rows.filter((row) => row[0] === 'model').map((row) => row[1])).to.have.members(['echo-1', 'echo-2']);
    });

    it('records the client and the accounts failed over from', async () => {
      const bad = await h.call('POST', 'api/accounts', {
        token,
        body: {
          type: 'echo-key',
          name: 'Broken',
          priority: 1,
          credentials: { apiKey: 'wrong-key-123', baseUrl: h.upstream.url },
        },
      });
      expect(bad.status, bad.text()).to.equal(201);
      await h.call('POST', 'api/accounts', {
        token,
        body: { type: 'echo-key', name: 'Good', priority: 2, credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url } },
      });
      const created = (await h.call('POST', 'api/keys', { token, body: { name: 'live' } })).json<{
        key: { id: string };
        plaintext: string;
      }>();
      const res = await sendRequest(`${h.tg.url}/echo/v1/echo`, {
        headers: { authorization: `Bearer ${created.plaintext}`, 'user-agent': 'my-tool/1.2 (linux)' },
        body: { model: 'echo-1', input: 'hello' },
      });
      expect(res.status).to.equal(200);
      const item = await waitFor(async () => {
        const page = (await h.call('GET', `api/requests?keyId=${created.key.id}&client=my-tool`, { token })).json<{
          items: { client?: string; failedAttempts?: { accountName?: string; kind: string; status?: number }[] }[];
        }>();
        return page.items[0];
      });
      expect(item.client).to.equal('my-tool');
      expect(item.failedAttempts?.map((attempt) => attempt.accountName)).to.deep.equal(['Broken']);
    });
  });
}

/**
 * `tracing`: one span per relayed request, with the GenAI semantic-convention attributes,
 * exported over OTLP/HTTP to a collector, here a real HTTP server on 127.0.0.1 that
 * keeps what it receives (the exporter sends OTLP's JSON encoding).
 */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createTestGateway,
  sendRequest,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';

const UPSTREAM_TOKEN = 'tick-upstream-secret-7777';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** Attributes as plain values (OTLP JSON sends 64-bit integers as strings). */
function plain(attributes: { key: string; value: OtlpValue }[]): Record<string, string | number | boolean> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => [key, value.stringValue ?? value.boolValue ?? Number(value.intValue)] as const),
  );
}

async function startCollector() {
  const exports: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces')
        exports.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports,
    spans: () =>
      exports.flatMap(({ body }) =>
        (JSON.parse(body) as OtlpExport).resourceSpans.flatMap((resource) =>
          resource.scopeSpans.flatMap((scope) =>
            scope.spans.map((span) => ({ span, resource: plain(resource.resource.attributes) })),
          ),
        ),
      ),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('OpenTelemetry traces (tracing)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let upstream: FakeUpstream;
  let tg: TestGateway;

  before(async () => {
    collector = await startCollector();
    upstream = await startFakeUpstream((req, res) => {
      const body = req.json<{ fail?: boolean }>();
      if (body.fail) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"boom","message":"upstream broke"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ticks: 1, usage: { in: 7, out: 3, cached: 2, model: 'tick-1-2026-01' } }));
    });
    tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: UPSTREAM_TOKEN, baseUrl: upstream.url } }],
      config: {
        tracing: {
          endpoint: `${collector.url}/v1/traces`,
          headers: { 'x-collector-token': 'collector-secret' },
          serviceName: 'gw-under-test',
        },
      },
    });
  });
  after(async () => {
    await tg.close();
    await upstream.close();
    await collector.close();
  });

  it('exports one span per relayed request with the provider, models, tokens, status and ids', async () => {
    const ask = (body: Record<string, unknown>) =>
      sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.key }, body: { model: 'tick-1', ...body } });
    expect((await ask({})).status).to.equal(200);
    expect((await ask({ fail: true })).status).to.equal(500);
    await tg.gateway.settled();
    const spans = await waitFor(() => (collector.spans().length >= 2 ? collector.spans() : undefined), { what: 'two spans' });

    expect(spans).to.have.length(2);
    const [ok, failed] = spans;
    expect(ok!.resource).to.include({ 'service.name': 'gw-under-test' });
    expect(ok!.resource['service.version']).to.be.a('string');
    expect(collector.exports[0]!.headers['x-collector-token']).to.equal('collector-secret');
    expect(ok!.span.name).to.equal('relay tick-1');
    expect(ok!.span.kind).to.equal(2); // SERVER
    expect(plain(ok!.span.attributes)).to.deep.include({
      'gen_ai.provider.name': 'tick',
      'gen_ai.system': 'tick',
      'gen_ai.request.model': 'tick-1',
      'gen_ai.response.model': 'tick-1-2026-01',
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.cache_read.input_tokens': 2,
      'gen_ai.usage.output_tokens': 3,
      'http.response.status_code': 200,
      'switchyard.account.id': tg.accountIds[0],
      'switchyard.account.type': 'tick-upstream',
      'switchyard.key.id': tg.keyId,
      'switchyard.protocol': 'tick',
      'switchyard.stream': false,
    });
    expect(plain(ok!.span.attributes)).not.to.have.property('error.type');
    expect(ok!.span.status?.code ?? 0).to.equal(0);
    const start = BigInt(ok!.span.startTimeUnixNano);
    const end = BigInt(ok!.span.endTimeUnixNano);
    expect(end >= start).to.equal(true);
    const [record] = (await tg.usageRecords({ count: 2 })).filter((r) => r.status === 200);
    expect(start / 1_000_000n).to.equal(BigInt(Date.parse(record!.at)));

    expect(plain(failed!.span.attributes)).to.deep.include({ 'http.response.status_code': 500, 'error.type': '500' });
    expect(failed!.span.status?.code).to.equal(2); // ERROR

    const sent = collector.exports.map((e) => e.body).join('\n');
    for (const secret of [tg.key, UPSTREAM_TOKEN]) expect(sent).not.to.contain(secret);
  });
});

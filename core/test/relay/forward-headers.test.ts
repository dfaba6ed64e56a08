/** Which headers cross the gateway, each way. */
import { expect } from 'chai';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../src/relay/forward-headers.js';

describe('forwarded headers', () => {
  it('keep every client header but hop-by-hop ones, those the connection header lists, host, length and every key header', () => {
    const out = upstreamRequestHeaders({
      host: 'gateway.local',
      connection: 'keep-alive, X-Private-Hop',
      'x-private-hop': 'drop me',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      'content-length': '12',
      'accept-encoding': 'zstd',
      'x-api-key': 'client key',
      authorization: 'Bearer client key',
      'x-goog-api-key': 'client key',
      'api-key': 'client key',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'a,b',
      'user-agent': 'claude-cli/2.0',
      'x-stainless-os': 'Linux',
    });
    expect(out).to.deep.equal({
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'a,b',
      'user-agent': 'claude-cli/2.0',
      'x-stainless-os': 'Linux',
      'accept-encoding': 'gzip, deflate, br',
    });
  });

  it('keep every upstream header but hop-by-hop ones, listed ones, length, encoding and cookies', () => {
    const out = clientResponseHeaders({
      connection: ['close', 'x-upstream-hop'],
      'x-upstream-hop': '1',
      'transfer-encoding': 'chunked',
      'content-length': '10',
      'content-encoding': 'gzip',
      'set-cookie': ['a=1'],
      'content-type': 'text/event-stream',
      'request-id': 'req_1',
      'anthropic-ratelimit-unified-5h-status': 'allowed',
      'x-absent': undefined,
    });
    expect(out).to.deep.equal({
      'content-type': 'text/event-stream',
      'request-id': 'req_1',
      'anthropic-ratelimit-unified-5h-status': 'allowed',
    });
    expect(clientResponseHeaders({ connection: 'keep-alive', 'keep-alive': 'timeout=5', date: 'today' })).to.deep.equal({
      date: 'today',
    });
  });
});

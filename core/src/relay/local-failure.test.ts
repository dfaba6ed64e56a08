import { expect } from 'chai';
import { UpstreamError } from '@switchyard/plugin-api';
import { isLocalFailure } from './local-failure.js';

function coded(message: string, code: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

describe('isLocalFailure', () => {
  it('is true for a request the HTTP client refused to build, also wrapped by an adapter as a network error', () => {
    const refused = coded('expect header not supported', 'UND_ERR_NOT_SUPPORTED');
    expect(isLocalFailure(refused)).to.equal(true);
    expect(
      isLocalFailure(
        new UpstreamError('network', 'upstream unreachable (UND_ERR_INVALID_ARG)', {
          cause: coded('invalid x header', 'UND_ERR_INVALID_ARG'),
        }),
      ),
    ).to.equal(true);
    expect(isLocalFailure(new TypeError("Cannot read properties of undefined (reading 'trim')"))).to.equal(true);
    expect(isLocalFailure(Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' }))).to.equal(true);
  });

  it('is false for what the upstream did: refused, reset or timed-out connections, also inside a TypeError', () => {
    expect(isLocalFailure(coded('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).to.equal(false);
    expect(isLocalFailure(coded('other side closed', 'UND_ERR_SOCKET'))).to.equal(false);
    expect(isLocalFailure(coded('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT'))).to.equal(false);
    expect(isLocalFailure(new TypeError('fetch failed', { cause: coded('read ECONNRESET', 'ECONNRESET') }))).to.equal(false);
    expect(
      isLocalFailure(new UpstreamError('network', 'unreachable', { cause: coded('connect ECONNREFUSED', 'ECONNREFUSED') })),
    ).to.equal(false);
  });

  it("keeps an adapter's own verdict and does not guess about errors it cannot place", () => {
    expect(isLocalFailure(new UpstreamError('rate_limited', 'limit', { cause: new TypeError('x') }))).to.equal(false);
    expect(isLocalFailure(new Error('something went wrong'))).to.equal(false);
    expect(isLocalFailure('a string')).to.equal(false);
    expect(isLocalFailure(undefined)).to.equal(false);
  });
});

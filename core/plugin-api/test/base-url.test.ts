/**
 * One meaning of an account's `baseUrl`: origin plus optional path prefix, without the API
 * version. `splitBaseUrl` separates a trailing version segment a user may have added
 * (`/v1`, `/v1beta`, `/v1internal`, `/v4`), so no account type doubles it.
 */
import { expect } from 'chai';
import { splitBaseUrl } from '@switchyard/plugin-api';

describe('plugin-api splitBaseUrl()', () => {
  it('keeps an origin or a path prefix without a version as the root', () => {
    expect(splitBaseUrl('https://api.example.com')).to.deep.equal({ root: 'https://api.example.com' });
    expect(splitBaseUrl('https://api.example.com/')).to.deep.equal({ root: 'https://api.example.com' });
    expect(splitBaseUrl('https://proxy.example.com/anthropic//')).to.deep.equal({ root: 'https://proxy.example.com/anthropic' });
  });

  it('separates a trailing version segment, with or without a trailing slash', () => {
    expect(splitBaseUrl('https://api.example.com/v1')).to.deep.equal({ root: 'https://api.example.com', version: 'v1' });
    expect(splitBaseUrl('https://proxy.example.com/team/v1/')).to.deep.equal({
      root: 'https://proxy.example.com/team',
      version: 'v1',
    });
    expect(splitBaseUrl('https://g.example.com/v1beta')).to.deep.equal({ root: 'https://g.example.com', version: 'v1beta' });
    expect(splitBaseUrl('https://c.example.com/v1internal')).to.deep.equal({
      root: 'https://c.example.com',
      version: 'v1internal',
    });
    expect(splitBaseUrl('https://glm.example.com/api/paas/v4')).to.deep.equal({
      root: 'https://glm.example.com/api/paas',
      version: 'v4',
    });
  });

  it('leaves segments that only look like versions inside the path alone', () => {
    expect(splitBaseUrl('https://example.com/v1/proxy')).to.deep.equal({ root: 'https://example.com/v1/proxy' });
    expect(splitBaseUrl('https://example.com/video')).to.deep.equal({ root: 'https://example.com/video' });
    expect(splitBaseUrl('https://v1.example.com')).to.deep.equal({ root: 'https://v1.example.com' });
  });
});

/** The testing kit's request factories build what the core builds: lower-cased headers, no `key`, the body parsed from its bytes. */
import { expect } from 'chai';
import { createInboundRequest, createRelayRequest } from '../../src/testing/index.js';

describe('testing kit: createInboundRequest / createRelayRequest', () => {
  it('defaults to an empty POST on the bare root', () => {
    const request = createInboundRequest();
    expect(request).to.deep.include({ method: 'POST', path: '/', mount: '', params: {}, headers: {}, body: undefined });
    expect(request.rawBody).to.have.length(0);
    expect(request.query.toString()).to.equal('');
    expect(Object.isFrozen(request) && Object.isFrozen(request.headers) && Object.isFrozen(request.params)).to.equal(true);
  });

  it('sends a value as its JSON text and parses raw JSON text or bytes as they are', () => {
    const fromValue = createInboundRequest({ body: { model: 'm-1', stream: true } });
    expect(fromValue.body).to.deep.equal({ model: 'm-1', stream: true });
    expect(Buffer.from(fromValue.rawBody).toString('utf8')).to.equal('{"model":"m-1","stream":true}');

    const text = '{ "model" :  "m-1" }';
    const fromText = createInboundRequest({ body: text });
    expect(fromText.body).to.deep.equal({ model: 'm-1' });
    expect(Buffer.from(fromText.rawBody).toString('utf8')).to.equal(text, 'the bytes stay as given');

    const bytes = Uint8Array.from([0x7b, 0x7d]);
    expect(createInboundRequest({ body: bytes }).rawBody).to.equal(bytes);
    expect(createInboundRequest({ body: 'not json' }).body).to.equal(undefined);
  });

  it('lower-cases header names and removes every key from the query, as the core does', () => {
    const request = createInboundRequest({
      headers: { 'X-Trace': 't-1', 'Content-Type': 'application/json' },
      query: '?alt=sse&key=sk-1&key=sk-2',
    });
    expect(request.headers).to.deep.equal({ 'x-trace': 't-1', 'content-type': 'application/json' });
    expect(request.query.toString()).to.equal('alt=sse');
    expect(createInboundRequest({ query: { beta: 'true', key: 'k' } }).query.toString()).to.equal('beta=true');
    const given = new URLSearchParams('key=k&a=1');
    expect(createInboundRequest({ query: given }).query.toString()).to.equal('a=1');
    expect(given.toString(), 'the caller’s params are not changed').to.equal('key=k&a=1');
  });

  it('reads model and stream from the body of a relay request unless given', () => {
    const request = createRelayRequest({ protocol: 'chat', path: '/v1/chat', body: { model: 'm-2', stream: true } });
    expect(request).to.deep.include({
      protocol: 'chat',
      operation: 'chat',
      path: '/v1/chat',
      model: 'm-2',
      stream: true,
      translated: false,
    });
    const overridden = createRelayRequest({
      protocol: 'chat',
      operation: 'complete',
      body: { model: 'm-2' },
      model: 'm-3',
      stream: true,
      translated: true,
    });
    expect(overridden).to.deep.include({ operation: 'complete', model: 'm-3', stream: true, translated: true });
    expect(createRelayRequest({ protocol: 'chat', body: 'plain text' })).to.deep.include({ model: undefined, stream: false });
  });
});

/**
 * The test proxies themselves: the paths the gateway does not exercise (absolute-URI
 * forwarding, SOCKS5 domain and IPv6 addresses, refusals) still behave per the RFCs.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { expect } from 'chai';
import { ProxyAgent } from 'undici';
import { startHttpProxy, startSocks5Proxy, type TestProxy } from '../fixtures/proxy-servers.js';

/** Reads from `socket` until `predicate` holds for what arrived. */
function readUntil(socket: net.Socket, predicate: (data: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      data = Buffer.concat([data, chunk]);
      if (predicate(data)) {
        socket.off('data', onData);
        resolve(data);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => resolve(data));
    socket.once('error', reject);
  });
}

type Address = { type: 1 | 3 | 4; host: string };

function encodeAddress({ type, host }: Address): Buffer {
  if (type === 1) return Buffer.from(host.split('.').map(Number));
  if (type === 3) return Buffer.concat([Buffer.from([Buffer.byteLength(host)]), Buffer.from(host)]);
  const bytes = Buffer.alloc(16);
  bytes.writeUInt16BE(1, 14); // ::1
  return bytes;
}

/** A hand-rolled SOCKS5 client: greeting, optional RFC 1929 auth, CONNECT; resolves to the reply code and the socket. */
async function socksConnect(
  proxy: TestProxy,
  address: Address,
  port: number,
  auth?: [string, string],
): Promise<{ code: number; socket: net.Socket }> {
  const socket = net.connect(proxy.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(Buffer.from(auth ? [5, 1, 2] : [5, 1, 0]));
  const method = await readUntil(socket, (data) => data.length >= 2);
  if (method[1] === 0xff) return { code: 0xff, socket };
  if (auth) {
    socket.write(
      Buffer.concat([
        Buffer.from([1, auth[0].length]),
        Buffer.from(auth[0]),
        Buffer.from([auth[1].length]),
        Buffer.from(auth[1]),
      ]),
    );
    const status = await readUntil(socket, (data) => data.length >= 2);
    if (status[1] !== 0) return { code: 0x100 + status[1]!, socket };
  }
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port);
  socket.write(Buffer.concat([Buffer.from([5, 1, 0, address.type]), encodeAddress(address), portBytes]));
  const reply = await readUntil(socket, (data) => data.length >= 10);
  return { code: reply[1]!, socket };
}

async function httpOver(socket: net.Socket): Promise<string> {
  socket.write('GET /hello HTTP/1.1\r\nHost: target\r\nConnection: close\r\n\r\n');
  return (await readUntil(socket, () => false)).toString('utf8');
}

describe('test proxies', function () {
  this.timeout(10_000);
  let target: http.Server;
  let targetPort: number;

  before(async () => {
    target = http.createServer((req, res) => res.end(`hello from ${req.url}`));
    // Dual stack: reachable on 127.0.0.1, ::1 and localhost.
    await new Promise<void>((resolve) => target.listen(0, '::', () => resolve()));
    targetPort = (target.address() as AddressInfo).port;
  });
  after(async () => {
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  });

  it('HTTP proxy: forwards absolute-URI requests and records them', async () => {
    const proxy = await startHttpProxy({ auth: { username: 'u', password: 'p' } });
    const agent = new ProxyAgent({ uri: proxy.url, token: `Basic ${Buffer.from('u:p').toString('base64')}`, proxyTunnel: false });
    try {
      const response = await agent.request({ origin: `http://127.0.0.1:${targetPort}`, path: '/fwd', method: 'GET' });
      expect(await response.body.text()).to.equal('hello from /fwd');
      expect(proxy.connections[0]).to.include({ kind: 'forward', target: `127.0.0.1:${targetPort}`, refused: false });
      expect(proxy.connections[0]!.url).to.equal(`http://127.0.0.1:${targetPort}/fwd`);
    } finally {
      await agent.close();
      await proxy.close();
    }
  });

  it('HTTP proxy: answers 407 to a CONNECT or a forward request without the right credentials', async () => {
    const proxy = await startHttpProxy({ auth: { username: 'u', password: 'p' } });
    try {
      const connect = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: `127.0.0.1:${targetPort}` });
        req.on('connect', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(connect).to.equal(407);
      const forward = await new Promise<number>((resolve, reject) => {
        http
          .get(
            {
              host: '127.0.0.1',
              port: proxy.port,
              path: `http://127.0.0.1:${targetPort}/x`,
              headers: { 'proxy-authorization': 'Basic bad' },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          )
          .on('error', reject);
      });
      expect(forward).to.equal(407);
      expect(proxy.connections.map((c) => [c.kind, c.refused, c.proxyAuthorization])).to.deep.equal([
        ['connect', true, undefined],
        ['forward', true, 'Basic bad'],
      ]);
    } finally {
      await proxy.close();
    }
  });

  for (const address of [
    { type: 1, host: '127.0.0.1', shown: '127.0.0.1' },
    { type: 3, host: 'localhost', shown: 'localhost' },
    { type: 4, host: '::1', shown: '[0:0:0:0:0:0:0:1]' },
  ] as const) {
    it(`SOCKS5: tunnels a CONNECT to an address of type ${address.type} (${address.host})`, async () => {
      const proxy = await startSocks5Proxy();
      try {
        const { code, socket } = await socksConnect(proxy, address, targetPort);
        expect(code).to.equal(0);
        expect(await httpOver(socket)).to.match(/^HTTP\/1\.1 200[\s\S]*hello from \/hello$/);
        expect(proxy.connections[0]).to.include({
          kind: 'socks',
          addressType: address.type,
          target: `${address.shown}:${targetPort}`,
          refused: false,
        });
      } finally {
        await proxy.close();
      }
    });
  }

  it('SOCKS5: requires username/password when configured, records the username, refuses wrong ones', async () => {
    const proxy = await startSocks5Proxy({ auth: { username: 'alice', password: 'secret' } });
    try {
      const ok = await socksConnect(proxy, { type: 1, host: '127.0.0.1' }, targetPort, ['alice', 'secret']);
      expect(ok.code).to.equal(0);
      ok.socket.destroy();
      const wrong = await socksConnect(proxy, { type: 1, host: '127.0.0.1' }, targetPort, ['alice', 'nope']);
      expect(wrong.code).to.equal(0x101);
      const none = await socksConnect(proxy, { type: 1, host: '127.0.0.1' }, targetPort);
      expect(none.code).to.equal(0xff);
      expect(proxy.connections.map((c) => [c.username, c.refused])).to.deep.equal([
        ['alice', false],
        ['alice', true],
        [undefined, true],
      ]);
    } finally {
      await proxy.close();
    }
  });
});

/**
 * The gateway's upstream HTTP layer: one keep-alive undici dispatcher for direct calls
 * (it pools per origin) and one per egress proxy, reused by every request, with the
 * configured connect, first-byte and idle timeouts.
 */
import type { Dispatcher, Pool } from 'undici';
import type { HttpClient, HttpRequestOptions, HttpResponse } from '@switchyard/plugin-api';
import { Agent, ProxyAgent, Socks5ProxyAgent } from './undici-dispatchers.js';

/** Timeouts in milliseconds. */
export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

/** Lends {@link HttpClient}s bound to an egress proxy (or none), sharing dispatchers. */
export class UpstreamHttp {
  private readonly direct: Dispatcher;
  private readonly proxied = new Map<string, Dispatcher>();
  private readonly clients = new Map<string, HttpClient>();

  constructor(private readonly timeouts: UpstreamTimeouts) {
    this.direct = new Agent(this.agentOptions());
  }

  /** A client routed through `proxyUrl` (`http:`, `https:` or `socks5:`), or direct when absent. */
  client(proxyUrl?: string): HttpClient {
    const cacheKey = proxyUrl ?? '';
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = createHttpClient(proxyUrl ? this.proxyDispatcher(proxyUrl) : this.direct, this.timeouts);
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    const all = [this.direct, ...this.proxied.values()];
    this.proxied.clear();
    this.clients.clear();
    await Promise.allSettled(all.map((dispatcher) => dispatcher.close()));
  }

  private agentOptions(): Pool.Options {
    return {
      connect: { timeout: this.timeouts.connectMs },
      headersTimeout: this.timeouts.firstByteMs,
      bodyTimeout: this.timeouts.idleMs,
      keepAliveTimeout: 30_000,
    };
  }

  private proxyDispatcher(proxyUrl: string): Dispatcher {
    let dispatcher = this.proxied.get(proxyUrl);
    if (dispatcher) return dispatcher;
    const url = new URL(proxyUrl);
    if (url.protocol === 'socks5:' || url.protocol === 'socks:') {
      dispatcher = new Socks5ProxyAgent(proxyUrl, {
        headersTimeout: this.timeouts.firstByteMs,
        bodyTimeout: this.timeouts.idleMs,
        keepAliveTimeout: 30_000,
      });
    } else if (url.protocol === 'http:' || url.protocol === 'https:') {
      const token = url.username
        ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
        : undefined;
      const uri = `${url.protocol}//${url.host}`;
      // ProxyAgent builds its own connectors: the connect timeout goes to both legs.
      const connectTimeout = { timeout: this.timeouts.connectMs };
      dispatcher = new ProxyAgent({
        ...this.agentOptions(),
        uri,
        proxyTls: connectTimeout,
        requestTls: connectTimeout,
        ...(token ? { token } : {}),
      });
    } else {
      throw new Error(`unsupported proxy protocol ${url.protocol} (use http, https or socks5)`);
    }
    this.proxied.set(proxyUrl, dispatcher);
    return dispatcher;
  }
}

/** Parsed upstream URLs by their text: the same few endpoints are called over and over, and `new URL` costs microseconds. */
const parsedUrls = new Map<string, { origin: string; path: string }>();
const PARSED_URLS_KEPT = 256;

function originAndPath(url: string | URL): { origin: string; path: string } {
  if (typeof url !== 'string') return { origin: url.origin, path: `${url.pathname}${url.search}` };
  let parsed = parsedUrls.get(url);
  if (parsed === undefined) {
    const target = new URL(url);
    parsed = { origin: target.origin, path: `${target.pathname}${target.search}` };
    if (parsedUrls.size >= PARSED_URLS_KEPT) parsedUrls.clear();
    parsedUrls.set(url, parsed);
  }
  return parsed;
}

function createHttpClient(dispatcher: Dispatcher, timeouts: UpstreamTimeouts): HttpClient {
  return {
    async request(url: string | URL, options: HttpRequestOptions = {}): Promise<HttpResponse> {
      const target = originAndPath(url);
      const response = await dispatcher.request({
        origin: target.origin,
        path: target.path,
        method: (options.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: options.headers ?? {},
        body: options.body ?? null,
        signal: options.signal ?? null,
        headersTimeout: options.headersTimeoutMs ?? timeouts.firstByteMs,
        bodyTimeout: options.bodyTimeoutMs ?? timeouts.idleMs,
      });
      const body = response.body;
      return {
        status: response.statusCode,
        headers: response.headers as Record<string, string | string[] | undefined>,
        body,
        text: () => body.text(),
        json: () => body.json(),
        bytes: async () => new Uint8Array(await body.arrayBuffer()),
      };
    },
  };
}

/**
 * undici's dispatcher classes and request API, loaded from their own modules. undici's
 * index also loads fetch, WebSocket, EventSource, the HTTP cache and the mock agents,
 * about 3 MB of heap the gateway never uses (issue 22, memory); this module loads what
 * the upstream HTTP layer calls, and puts the request API on the dispatchers' prototype
 * as the index does (`Object.assign(Dispatcher.prototype, api)`). The paths are undici's
 * internal layout (it has no exports map): an undici update that moves them fails the
 * upstream HTTP tests and the lazy-imports test.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const load = createRequire(import.meta.url);

const Dispatcher = load('undici/lib/dispatcher/dispatcher.js') as typeof Undici.Dispatcher;
Object.assign(Dispatcher.prototype, load('undici/lib/api/index.js') as object);

/** undici's `Agent`: pools per origin. */
export const Agent = load('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
/** undici's `ProxyAgent`: through an HTTP(S) proxy. */
export const ProxyAgent = load('undici/lib/dispatcher/proxy-agent.js') as typeof Undici.ProxyAgent;
/** undici's `Socks5ProxyAgent`: through a SOCKS5 proxy. */
export const Socks5ProxyAgent = load('undici/lib/dispatcher/socks5-proxy-agent.js') as typeof Undici.Socks5ProxyAgent;

/**
 * The per-test workbench of the conformance suite: starts fakes and gateways, sends
 * client requests, and copies everything a client, an operator or the store could show
 * into a transcript that the suite scans for the secret.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { ProtocolDefinition, SwitchyardPlugin, UsageRecord } from '@switchyard/plugin-api';
import type { AccountState } from '../../store/types.js';
import { createTestGateway, type TestGateway } from '../create-test-gateway.js';
import type { FakeUpstream, FakeUpstreamHandler } from '../fake-upstream.js';
import { sendRequest, type SendRequestOptions, type SentResponse } from '../send-request.js';
import { waitFor } from '../wait-for.js';
import type { ConformanceSuite } from './conformance-suite.js';
import type { TestFunctions } from '../test-functions.js';

/** One thing a client, operator or admin could see, labelled with the test it came from. */
export interface TranscriptEntry {
  label: string;
  text: string;
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return inspect(value, { depth: 8 });
  }
}

/**
 * A regex matching the request paths a route path serves, in @koa/router syntax: `:param`
 * (one segment, or part of one), `:rest+` / `:rest*` (several), `\\:` a literal colon.
 */
export function routePattern(path: string): RegExp {
  let source = '';
  for (let i = 0; i < path.length;) {
    const char = path[i]!;
    if (char === '\\' && i + 1 < path.length) {
      source += path[i + 1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += 2;
      continue;
    }
    const param = char === ':' ? /^:(\w+)([+*?])?/.exec(path.slice(i)) : null;
    if (param) {
      source += param[2] === '+' || param[2] === '*' ? '.+' : param[2] === '?' ? '[^/]*' : '[^/]+';
      i += param[0].length;
      continue;
    }
    source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i += 1;
  }
  return new RegExp(`^${source}$`);
}

/** A URL on 127.0.0.1 where nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Fakes and gateways of one test; `cleanup()` closes them and fills the transcript. */
export class ConformanceHarness {
  private readonly fakes: FakeUpstream[] = [];
  private readonly gateways: TestGateway[] = [];

  constructor(
    readonly suite: ConformanceSuite,
    private readonly transcript: TranscriptEntry[],
    readonly label: string,
  ) {}

  /** All plugins the suite loads. */
  get plugins(): SwitchyardPlugin[] {
    return [this.suite.plugin, ...(this.suite.plugins ?? [])];
  }

  /** Starts the suite's fake upstream answering with `handler`. */
  async upstream(handler: FakeUpstreamHandler): Promise<FakeUpstream> {
    const fake = await this.suite.startUpstream();
    this.fakes.push(fake);
    fake.setHandler(handler);
    return fake;
  }

  /** Starts a gateway with one account per upstream URL, preferred in the order given. */
  async gateway(upstreamUrls: readonly string[]): Promise<TestGateway> {
    const tg = await createTestGateway({
      plugins: this.plugins,
      accounts: upstreamUrls.map((url, index) => ({
        type: this.suite.accountType,
        name: `conformance-${index + 1}`,
        credentials: this.suite.credentials(url),
        settings: this.suite.settings ?? {},
        priority: 10 * (index + 1),
        maxConcurrency: 4,
      })),
      ...(this.suite.store ? { store: this.suite.store } : {}),
      ...(this.suite.config ? { config: this.suite.config } : {}),
    });
    this.gateways.push(tg);
    return tg;
  }

  /** Sends the suite's unary or stream request to the route, recording what came back. */
  async send(tg: TestGateway, kind: 'unary' | 'stream', extra: SendRequestOptions = {}): Promise<SentResponse> {
    const headers = {
      'content-type': 'application/json',
      ...(this.suite.clientHeaders?.(tg.key) ?? { authorization: `Bearer ${tg.key}` }),
      ...extra.headers,
    };
    const path = kind === 'stream' ? (this.suite.streamRoutePath ?? this.suite.routePath) : this.suite.routePath;
    const res = await sendRequest(`${tg.url}${path}`, {
      method: this.suite.method ?? 'POST',
      body: this.clientBody(kind),
      ...extra,
      headers,
    });
    this.record(`${kind} response headers`, stringify(res.headers));
    this.record(`${kind} response body`, res.body.toString('utf8'));
    return res;
  }

  /**
   * The client body of the unary or stream request as sent: strings and bytes as given,
   * other values as indented JSON (so a relay that re-serialises the body is caught).
   */
  clientBody(kind: 'unary' | 'stream'): string | Uint8Array {
    const body = kind === 'unary' ? this.suite.requests.unary : this.suite.requests.stream;
    return typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body, null, 2);
  }

  /** Waits (up to 2 s) for at least `count` usage records, newest first. */
  usageRecords(tg: TestGateway, count = 1): Promise<UsageRecord[]> {
    return tg.usageRecords({ count });
  }

  /** Waits (up to 2 s) until the account cools down with `kind`; rejects naming the last state seen. */
  async cooldown(tg: TestGateway, accountId: string, kind: string): Promise<AccountState> {
    let last: AccountState | undefined;
    try {
      return await waitFor(async () => {
        last = (await tg.gateway.store.accountState.getMany([accountId])).get(accountId);
        return last?.cooldownKind === kind ? last : undefined;
      });
    } catch {
      throw new Error(`expected account ${accountId} to cool down with kind "${kind}"; state: ${stringify(last ?? null)}`);
    }
  }

  /** Lease counts of the key and of an account. */
  async leases(tg: TestGateway, accountId: string): Promise<{ key: number; account: number }> {
    const leases = tg.gateway.store.leases;
    return { key: await leases.count(`key:${tg.keyId}`), account: await leases.count(`account:${accountId}`) };
  }

  /**
   * The protocol of the route a gateway serves `path` (query ignored) with, from its
   * registry; throws when no route of the loaded plugins matches.
   */
  routeProtocol(tg: TestGateway, path: string): ProtocolDefinition | undefined {
    const bare = path.split('?')[0]!;
    const route = tg.gateway.registry.routes.find(
      (candidate) => !candidate.definition.handle && routePattern(`${candidate.mount}${candidate.definition.path}`).test(bare),
    );
    assert.ok(route, `no relayed route of the loaded plugins serves ${bare}`);
    return route.definition.protocol ? tg.gateway.registry.protocol(route.definition.protocol)?.definition : undefined;
  }

  /** Adds text to the transcript under this test's label. */
  record(what: string, text: string): void {
    this.transcript.push({ label: `${this.label}: ${what}`, text });
  }

  /** Closes everything, copying logs, printed lines and stored state into the transcript. */
  async cleanup(): Promise<void> {
    // Fakes first: an upstream call left hanging then fails, so the gateway closes promptly.
    await Promise.all(this.fakes.splice(0).map((fake) => fake.close()));
    for (const tg of this.gateways.splice(0)) {
      try {
        const states = await tg.gateway.store.accountState.getMany(tg.accountIds);
        this.record('account state', stringify([...states.entries()]));
        this.record('usage records', stringify(await tg.gateway.store.usage.list({ limit: 1000 })));
      } catch (error) {
        this.record('store read failure', String(error));
      }
      await tg.close();
      tg.logs.forEach((line, index) => this.record(`log line ${index + 1}`, stringify(line)));
      tg.printed.forEach((line, index) => this.record(`printed line ${index + 1}`, line));
    }
  }
}

/** What each group of conformance tests gets: the suite and the current test's harness. */
export interface SuiteContext {
  readonly suite: ConformanceSuite;
  /** Registers one test (the runner's `it`). */
  readonly it: TestFunctions['it'];
  /** The harness of the running test (fresh for each test). */
  harness(): ConformanceHarness;
}

/**
 * The admin phase (`--admin-samples`): after the load, signs in to a gateway's admin API
 * and times the pages an admin opens first: the dashboard, the usage summary (the
 * default last 24 hours and the last 30 days) and the first page of the request log.
 * Each endpoint is asked `samples` times one after the other; the first answer (which
 * also loads the admin's code) is reported apart from the median and the slowest.
 */
import { request } from 'undici';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface AdminTiming {
  endpoint: string;
  firstMs: number;
  medianMs: number;
  maxMs: number;
  /** Bytes of the last answer. */
  bytes: number;
}

/** The endpoints timed, as paths under the gateway's origin. */
export function adminEndpoints(nowMs: number): { name: string; path: string }[] {
  const since30d = new Date(nowMs - 30 * 86_400_000).toISOString();
  return [
    { name: 'dashboard', path: '/admin/api/dashboard' },
    { name: 'usage summary (24 h)', path: '/admin/api/usage/summary' },
    { name: 'usage summary (30 d)', path: `/admin/api/usage/summary?since=${encodeURIComponent(since30d)}` },
    { name: 'request log, first page', path: '/admin/api/requests?limit=50' },
  ];
}

async function timed(url: string, token: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await request(url, {
    headers: { authorization: `Bearer ${token}` },
    bodyTimeout: 60_000,
    headersTimeout: 60_000,
  });
  const body = await response.body.arrayBuffer();
  const ms = performance.now() - started;
  if (response.statusCode !== 200)
    throw new Error(`${url}: HTTP ${response.statusCode}: ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  return { ms, bytes: body.byteLength };
}

/** Signs in as the bench's admin and times each endpoint `samples` times. */
export async function timeAdmin(origin: string, password: string, samples: number): Promise<AdminTiming[]> {
  const login = await request(`${origin}/admin/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const answer = (await login.body.json()) as { token?: string };
  if (login.statusCode !== 200 || !answer.token) throw new Error(`admin login failed: HTTP ${login.statusCode}`);
  const out: AdminTiming[] = [];
  for (const endpoint of adminEndpoints(Date.now())) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < samples; i++) {
      const result = await timed(`${origin}${endpoint.path}`, answer.token);
      times.push(result.ms);
      bytes = result.bytes;
    }
    out.push({
      endpoint: endpoint.name,
      firstMs: times[0]!,
      medianMs: median(times.slice(1).length ? times.slice(1) : times),
      maxMs: Math.max(...times),
      bytes,
    });
  }
  return out;
}

/** The admin timings as report lines. */
export function formatAdminTimings(provider: string, timings: readonly AdminTiming[]): string {
  const lines = [`[${provider}] admin endpoints (first answer, then median and slowest of the rest; target 300 ms):`];
  for (const timing of timings) {
    lines.push(
      `  ${timing.endpoint.padEnd(26)} first ${timing.firstMs.toFixed(0).padStart(6)} ms, median ${timing.medianMs.toFixed(0).padStart(6)} ms, ` +
        `max ${timing.maxMs.toFixed(0).padStart(6)} ms (${(timing.bytes / 1024).toFixed(1)} KiB)`,
    );
  }
  return lines.join('\n');
}

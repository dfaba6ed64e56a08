/**
 * The request log's filters in Redis (account, model, outcome, status, client, search):
 * matched inside Redis, by a script that walks the time index newest first in chunks, so
 * only matching records cross the network and no call holds the server for long. The
 * stored records are bounded (`maxRecords`), which bounds a scan too.
 */
import type { Redis } from 'ioredis';
import type { UsageQuery } from '../types.js';
import { asciiLower, USAGE_SEARCH_FIELDS } from '../records.js';
import { RedisScript } from './redis-script.js';

/** Records one script call looks at (a few milliseconds of server time). */
export const SCAN_CHUNK = 2000;

/** The filters a scan applies in Redis (key and time pick the index and the score range). */
export type ScanFilter = Pick<UsageQuery, 'accountId' | 'model' | 'outcome' | 'status' | 'client' | 'search'>;

/** True when `query` has a filter only a scan answers. */
export function needsScan(query: UsageQuery): boolean {
  return (
    query.accountId !== undefined ||
    query.model !== undefined ||
    query.outcome !== undefined ||
    query.status !== undefined ||
    query.client !== undefined ||
    Boolean(query.search)
  );
}

// KEYS: index zset, records hash. ARGV: min score, max score, offset, chunk, want records (1/0),
// limit, filter JSON. Returns { ids looked at, ids in the chunk, matches, matching JSON (when wanted) }.
const SCAN = new RedisScript(`
local f = cjson.decode(ARGV[7])
local search_fields = cjson.decode(ARGV[8])
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[1], 'LIMIT', tonumber(ARGV[3]), tonumber(ARGV[4]))
local want = ARGV[5] == '1'
local limit = tonumber(ARGV[6])
local function str(v) if type(v) == 'string' then return v end return '' end
local function matches(r)
  if f.accountId and r.accountId ~= f.accountId then return false end
  if f.model and r.model ~= f.model and r.requestedModel ~= f.model and r.upstreamModel ~= f.model then return false end
  if f.outcome then
    local failed = (type(r.status) == 'number' and r.status >= 400) or r.incomplete == true
    if (f.outcome == 'error') ~= failed then return false end
  end
  if f.status and r.status ~= f.status then return false end
  if f.client and r.client ~= f.client then return false end
  if f.search then
    local parts = {}
    for i, name in ipairs(search_fields) do parts[i] = str(r[name]) end
    if not string.find(string.lower(table.concat(parts, '\\31')), f.search, 1, true) then return false end
  end
  return true
end
local out = {}
local matched = 0
local looked = 0
for i = 1, #ids do
  looked = i
  local json = redis.call('HGET', KEYS[2], ids[i])
  if json then
    local ok, record = pcall(cjson.decode, json)
    if ok and type(record) == 'table' and matches(record) then
      matched = matched + 1
      if want then
        out[#out + 1] = json
        if matched >= limit then break end
      end
    end
  end
end
return { looked, #ids, matched, out }
`);

/** One pass over the records of an index and score range, chunk by chunk. */
export async function scanUsage(
  redis: Redis,
  keys: [index: string, records: string],
  range: { min: string; max: string },
  filter: ScanFilter,
  limit: number | undefined,
): Promise<{ matched: number; records: string[] }> {
  const json = JSON.stringify({
    ...(filter.accountId !== undefined ? { accountId: filter.accountId } : {}),
    ...(filter.model !== undefined ? { model: filter.model } : {}),
    ...(filter.outcome !== undefined ? { outcome: filter.outcome } : {}),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.client !== undefined ? { client: filter.client } : {}),
    ...(filter.search ? { search: asciiLower(filter.search) } : {}),
  });
  const fields = JSON.stringify(USAGE_SEARCH_FIELDS);
  const records: string[] = [];
  const seen = new Set<string>();
  let matched = 0;
  for (let offset = 0; ;) {
    const want = limit === undefined ? 0 : 1;
    const remaining = limit === undefined ? 0 : limit - records.length;
    const [looked, inChunk, found, out] = (await SCAN.run(redis, keys, [
      range.min,
      range.max,
      offset,
      SCAN_CHUNK,
      want,
      remaining,
      json,
      fields,
    ])) as [number, number, number, string[]];
    matched += found;
    // Records appended during the scan shift the offsets: a record seen twice is kept once.
    for (const record of out) {
      const id = (JSON.parse(record) as { id: string }).id;
      if (!seen.has(id)) {
        seen.add(id);
        records.push(record);
      }
    }
    if (limit !== undefined && records.length >= limit) break;
    if (inChunk < SCAN_CHUNK) break;
    offset += looked;
  }
  return { matched, records };
}

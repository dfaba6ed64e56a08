/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests:
 * every line must be a HELP/TYPE comment or a sample of a declared family; histograms
 * must have increasing `le` buckets ending in `+Inf` equal to `_count`.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/;

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  for (let guard = 0; rest.length > 0 && guard < 100; guard++) {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`line ${line}: bad labels "${text}"`);
    labels[match[1]!] = match[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    rest = rest.slice(match[0].length);
  }
  return labels;
}

/**
 * A sample value as Prometheus reads it (Go's ParseFloat: `NaN` and `Inf` in any case;
 * prom-client writes `Nan`, e.g. for the event loop lag when no sample fell since the
 * last scrape).
 */
function parseValue(text: string, line: number): number {
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (!Number.isFinite(value) && !Number.isNaN(value)) throw new Error(`line ${line}: bad value ${text}`);
  if (Number.isNaN(value)) throw new Error(`line ${line}: bad value ${text}`);
  return value;
}

function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  if (families.has(name)) return families.get(name);
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (name.endsWith(suffix)) {
      const base = families.get(name.slice(0, -suffix.length));
      if (base) return base;
    }
  }
  return undefined;
}

/** Parses `text`; throws on the first violation. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') return;
    if (raw.startsWith('#')) {
      const match = new RegExp(`^# (HELP|TYPE) (${NAME}) ?(.*)$`).exec(raw);
      if (!match) return;
      const [, kind, name, rest] = match;
      const family = families.get(name!) ?? { name: name!, type: 'untyped', help: '', samples: [] };
      if (kind === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest!))
          throw new Error(`line ${line}: bad type ${rest}`);
        family.type = rest!;
      } else family.help = rest!;
      families.set(name!, family);
      return;
    }
    const match = SAMPLE.exec(raw);
    if (!match) throw new Error(`line ${line}: not a sample: ${raw}`);
    const family = familyOf(match[1]!, families);
    if (!family) throw new Error(`line ${line}: sample ${match[1]} has no TYPE`);
    family.samples.push({
      name: match[1]!,
      labels: match[2] ? parseLabels(match[2], line) : {},
      value: parseValue(match[3]!, line),
    });
  });
  for (const family of families.values()) {
    if (family.type !== 'histogram') continue;
    const series = new Map<string, Sample[]>();
    for (const sample of family.samples.filter((s) => s.name.endsWith('_bucket'))) {
      const { le, ...rest } = sample.labels;
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), sample]);
    }
    for (const [key, buckets] of series) {
      let last = -Infinity;
      let lastCount = 0;
      for (const bucket of buckets) {
        const le = parseValue(bucket.labels['le']!, 0);
        if (le <= last || bucket.value < lastCount) throw new Error(`${family.name}${key}: buckets not increasing`);
        last = le;
        lastCount = bucket.value;
      }
      if (last !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
      const count = family.samples.find((s) => s.name === `${family.name}_count` && JSON.stringify(s.labels) === key);
      if (!count || count.value !== lastCount) throw new Error(`${family.name}${key}: _count differs from the +Inf bucket`);
    }
  }
  return families;
}

/** The value of the sample of `name` whose labels include `labels` (undefined when absent). */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = familyOf(name, families);
  return family?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/**
 * Error classification of Anthropic answers and the Claude price table on their own.
 */
import { expect } from 'chai';
import { classifyClaudeError, claudePlugin, claudePricing, MAX_RATE_LIMIT_WAIT_MS } from '../src/index.js';
import { modelFamily } from '../src/model-family.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');

function answer(
  status: number,
  headers: Record<string, string> = {},
  body: unknown = { type: 'error', error: { type: 'x', message: 'y' } },
) {
  return { status, headers, body: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)) };
}

function errorMessage(message: string, type = 'invalid_request_error') {
  return { type: 'error', error: { type, message } };
}

describe('classifyClaudeError', () => {
  it('rate-limits until the unified reset, naming the window', () => {
    const reset = String(NOW / 1000 + 3600);
    const error = classifyClaudeError(
      answer(429, {
        'anthropic-ratelimit-unified-reset': reset,
        'anthropic-ratelimit-unified-representative-claim': 'five_hour',
      }),
      NOW,
    );
    expect(error?.kind).to.equal('rate_limited');
    expect(error?.retryAfterMs).to.equal(3_600_000);
    expect(error?.window).to.equal('5h');
    expect(error?.headers?.['anthropic-ratelimit-unified-reset'], 'headers kept for the client').to.equal(reset);
  });

  it('caps a far reset (e.g. a 7-day window) at the maximum wait', () => {
    const reset = String(NOW / 1000 + 3 * 24 * 3600);
    const error = classifyClaudeError(
      answer(429, {
        'anthropic-ratelimit-unified-reset': reset,
        'anthropic-ratelimit-unified-representative-claim': 'seven_day',
      }),
      NOW,
    );
    expect(error?.retryAfterMs).to.equal(MAX_RATE_LIMIT_WAIT_MS);
    expect(error?.window).to.equal('7d');
    const opus = classifyClaudeError(
      answer(429, {
        'anthropic-ratelimit-unified-reset': reset,
        'anthropic-ratelimit-unified-representative-claim': 'seven_day_opus',
      }),
      NOW,
    );
    expect(opus?.window, 'a per-family weekly window').to.equal('7d_opus');
  });

  it('reads the model family from whole words of the id', () => {
    expect(modelFamily('claude-opus-4-8')).to.equal('opus');
    expect(modelFamily('claude-3-5-sonnet-20241022')).to.equal('sonnet');
    expect(modelFamily('claude-haiku-4-5')).to.equal('haiku');
    expect(modelFamily('my-sonnetish-model')).to.equal(undefined);
    expect(modelFamily(undefined)).to.equal(undefined);
  });

  it('uses retry-after without reset headers, and no long wait for a bare transient 429', () => {
    expect(classifyClaudeError(answer(429, { 'retry-after': '12' }), NOW)?.retryAfterMs).to.equal(12_000);
    const bare = classifyClaudeError(answer(429), NOW);
    expect(bare?.kind).to.equal('rate_limited');
    expect(bare?.retryAfterMs, 'the short configured cooldown applies').to.equal(undefined);
  });

  it('classifies 529 as overloaded and 401 as auth_failed', () => {
    expect(classifyClaudeError(answer(529, { 'retry-after': '0' }), NOW)).to.include({ kind: 'overloaded', retryAfterMs: 0 });
    expect(classifyClaudeError(answer(401), NOW)?.kind).to.equal('auth_failed');
  });

  it('asks for a disabled organization to be paused until an admin resumes it (403 and 400)', () => {
    for (const status of [400, 403]) {
      const error = classifyClaudeError(
        answer(status, {}, errorMessage('This organization has been disabled.', 'permission_error')),
        NOW,
      );
      expect(error?.kind, String(status)).to.equal('forbidden');
      expect(error?.pauseAccount).to.equal(true);
    }
    expect(classifyClaudeError(answer(429), NOW)?.pauseAccount).to.equal(false);
    expect(
      classifyClaudeError(
        answer(403, {}, errorMessage('OAuth authentication is currently not allowed for this organization.')),
        NOW,
      )?.kind,
    ).to.equal('forbidden');
  });

  it('treats a too-low credit balance as quota_exhausted and leaves other answers to the core', () => {
    expect(
      classifyClaudeError(answer(400, {}, errorMessage('Your credit balance is too low to access the Anthropic API.')), NOW)
        ?.kind,
    ).to.equal('quota_exhausted');
    expect(classifyClaudeError(answer(400, {}, errorMessage('messages: field required')), NOW)).to.equal(undefined);
    expect(classifyClaudeError(answer(403), NOW)).to.equal(undefined);
    expect(classifyClaudeError(answer(500), NOW)).to.equal(undefined);
    expect(classifyClaudeError(answer(400, {}, 'not json at all'), NOW)).to.equal(undefined);
  });
});

describe('Claude prices', () => {
  function lookup(model: string) {
    // The core's rule: exact ids first, then the longest matching pattern.
    if (claudePricing[model]) return claudePricing[model];
    const patterns = Object.keys(claudePricing)
      .filter((key) => key.includes('*'))
      .sort((a, b) => b.length - a.length);
    const hit = patterns.find((pattern) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(model),
    );
    return hit ? claudePricing[hit] : undefined;
  }

  it('prices current models by family with the cache multipliers and long-context tiers', () => {
    expect(lookup('claude-sonnet-4-5-20250929')).to.deep.include({
      input: 3,
      output: 15,
      cacheWrite5m: 3.75,
      cacheWrite1h: 6,
      cacheRead: 0.3,
    });
    expect(lookup('claude-sonnet-4-6')).to.deep.include({ input: 3, output: 15 });
    expect(lookup('claude-sonnet-4-20250514')?.tiers?.[0]).to.deep.include({ aboveInputTokens: 200_000, input: 6, output: 22.5 });
    expect(lookup('claude-opus-4-5-20251101')).to.deep.include({
      input: 5,
      output: 25,
      cacheWrite5m: 6.25,
      cacheWrite1h: 10,
      cacheRead: 0.5,
    });
    expect(lookup('claude-opus-4-6')?.tiers?.[0]).to.deep.include({ input: 10, output: 37.5 });
    expect(lookup('claude-opus-4-1-20250805')).to.deep.include({ input: 15, output: 75 });
    expect(lookup('claude-opus-4-20250514')).to.deep.include({ input: 15, output: 75 });
    expect(lookup('claude-opus-4-0')).to.deep.include({ input: 15, output: 75 });
    expect(lookup('claude-haiku-4-5-20251001')).to.deep.include({ input: 1, output: 5 });
    expect(lookup('claude-3-5-haiku-20241022')).to.deep.include({ input: 0.8, output: 4 });
    expect(claudePlugin.pricing).to.equal(claudePricing);
  });

  it('prices models without a list price by an explicit assumed entry, never by substring', () => {
    expect(lookup('claude-opus-4-8')).to.equal(claudePricing['claude-opus-*']);
    expect(lookup('claude-opus-5-5')).to.equal(claudePricing['claude-opus-*']);
    expect(lookup('claude-mythos-5-2')).to.equal(claudePricing['claude-*']);
    expect(lookup('my-claude-sonnet-4-clone'), 'no fuzzy matching').to.equal(undefined);
    expect(lookup('gpt-5')).to.equal(undefined);
  });
});

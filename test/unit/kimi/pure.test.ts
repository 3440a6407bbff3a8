// The client's pure pieces: error mapping, Retry-After parsing, backoff, proxy choice, base URLs,
// usage normalisation.
import * as assert from 'node:assert/strict';
import {
  errorFromResponse,
  errorFromStreamObject,
  InvokeAuthorizationError,
  InvokeBadRequestError,
  InvokeError,
  InvokeRateLimitError,
  InvokeServerUnavailableError,
  parseRetryAfter,
} from '../../../src/kimi/errors';
import { bypassesProxy, resolveProxy } from '../../../src/kimi/proxy';
import { retryDelayMs, shouldRetry, sleep } from '../../../src/kimi/retry';
import { normalizeChunkUsage } from '../../../src/kimi/stream';
import { normalizeBaseUrl } from '../../../src/kimi/transport';
import type { ChatCompletionChunk } from '../../../src/kimi/types';

const ctx = { method: 'GET', path: '/v1/models', requestId: 'req-1' };
const body = (type: string, message: string) => JSON.stringify({ error: { type, message } });

describe('client pure functions', () => {
  it('maps statuses to error classes', () => {
    const cases: Array<[number, new (...a: never[]) => InvokeError, boolean]> = [
      [400, InvokeBadRequestError, false],
      [401, InvokeAuthorizationError, false],
      [403, InvokeAuthorizationError, false],
      [404, InvokeBadRequestError, false],
      [422, InvokeBadRequestError, false],
      [429, InvokeRateLimitError, true],
      [500, InvokeServerUnavailableError, true],
      [501, InvokeServerUnavailableError, false],
      [502, InvokeServerUnavailableError, true],
      [503, InvokeServerUnavailableError, true],
      [504, InvokeServerUnavailableError, true],
    ];
    for (const [status, cls, retryable] of cases) {
      const e = errorFromResponse(status, body('some_type', 'msg'), ctx);
      assert.ok(e instanceof cls, `${status} → ${e.name}`);
      assert.equal(e.retryable, retryable, `${status} retryable`);
      assert.equal(e.status, status);
      assert.equal(e.requestId, 'req-1');
      assert.equal(e.type, 'some_type');
      assert.equal(e.message, 'msg');
    }
  });

  it('never marks a quota error retryable, on 429 or 403', () => {
    for (const status of [429, 403]) {
      const e = errorFromResponse(status, body('exceeded_current_quota_error', 'quota'), ctx);
      assert.equal(e.retryable, false);
      assert.equal(shouldRetry(e), false);
    }
  });

  it('reads the url.not_found body, where error is a string', () => {
    const raw = JSON.stringify({ code: 5, error: 'url.not_found', message: '没找到对象', method: 'GET', scode: '0x5', status: false, ua: 'x', url: '/v1/foo' });
    const e = errorFromResponse(404, raw, ctx);
    assert.ok(e instanceof InvokeBadRequestError);
    assert.equal(e.type, 'url.not_found');
    assert.match(e.message, /GET \/v1\/foo/);
  });

  it('survives empty and non-JSON bodies', () => {
    assert.equal(errorFromResponse(502, '', ctx).message, 'HTTP 502 from GET /v1/models');
    assert.equal(errorFromResponse(503, 'null', ctx).message, 'HTTP 503 from GET /v1/models');
    assert.equal(errorFromResponse(500, '<h1>Oops</h1>\n<p>later</p>', ctx).message, 'Oops later');
  });

  it('maps stream error objects by type', () => {
    assert.ok(errorFromStreamObject({ type: 'rate_limit_reached_error', message: 'x' }, undefined) instanceof InvokeRateLimitError);
    const quota = errorFromStreamObject({ type: 'exceeded_current_quota_error', message: 'x' }, undefined);
    assert.ok(quota instanceof InvokeRateLimitError && !quota.retryable);
    assert.ok(errorFromStreamObject({ type: 'invalid_authentication_error' }, undefined) instanceof InvokeAuthorizationError);
    assert.ok(errorFromStreamObject({ type: 'content_filter', code: 400 }, undefined) instanceof InvokeBadRequestError);
    assert.equal(errorFromStreamObject({ type: 'content_filter', code: 400 }, undefined).status, 400);
    assert.ok(errorFromStreamObject({ type: 'server_error' }, 'r').retryable === true);
    assert.ok(errorFromStreamObject({ type: 'server_error' }, 'r') instanceof InvokeServerUnavailableError);
    const unknown = errorFromStreamObject('weird', 'r');
    assert.equal(unknown.constructor, InvokeError);
    assert.equal(unknown.message, 'weird');
    assert.equal(unknown.requestId, 'r');
  });

  it('parses Retry-After headers and "try again after N seconds" texts', () => {
    assert.equal(parseRetryAfter('12', undefined), 12);
    assert.equal(parseRetryAfter('0.5', undefined), 0.5);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', undefined, now), 5);
    assert.equal(parseRetryAfter(undefined, 'request reached max concurrency: 1, please try again after 4 seconds'), 4);
    assert.equal(parseRetryAfter(undefined, 'Please try again in 2.5s'), 2.5);
    assert.equal(parseRetryAfter(undefined, 'Please wait a moment and try again.'), undefined);
    assert.equal(parseRetryAfter('3', 'try again after 9 seconds'), 3);
  });

  it('backs off exponentially with jitter, capped, and honours retryAfter', () => {
    assert.equal(retryDelayMs(0, undefined, () => 0), 250);
    assert.equal(retryDelayMs(0, undefined, () => 1), 500);
    assert.equal(retryDelayMs(2, undefined, () => 0), 1000);
    assert.equal(retryDelayMs(2, undefined, () => 1), 2000);
    assert.equal(retryDelayMs(20, undefined, () => 1), 8000);
    assert.equal(retryDelayMs(5, 1.5), 1500);
    const seen = new Set(Array.from({ length: 20 }, () => retryDelayMs(1)));
    assert.ok(seen.size > 1, 'jitter varies the delay');
  });

  it('sleep rejects at once on abort', async () => {
    const c = new AbortController();
    const t0 = Date.now();
    const p = sleep(10_000, c.signal);
    setTimeout(() => c.abort(), 20);
    await assert.rejects(p, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.ok(Date.now() - t0 < 1000);
  });

  it('chooses the proxy: option, then per-scheme environment, unless NO_PROXY matches', () => {
    const https = new URL('https://api.moonshot.cn/v1');
    const http = new URL('http://127.0.0.1:8787/v1');
    assert.equal(resolveProxy(https, 'http://p:1', { HTTPS_PROXY: 'http://e:2' }), 'http://p:1');
    assert.equal(resolveProxy(https, '', { HTTPS_PROXY: 'http://e:2' }), undefined);
    assert.equal(resolveProxy(https, undefined, { HTTPS_PROXY: 'http://e:2', HTTP_PROXY: 'http://h:3' }), 'http://e:2');
    assert.equal(resolveProxy(https, undefined, { https_proxy: 'http://lower:2' }), 'http://lower:2');
    assert.equal(resolveProxy(https, undefined, { HTTP_PROXY: 'http://h:3' }), 'http://h:3');
    assert.equal(resolveProxy(http, undefined, { HTTPS_PROXY: 'http://e:2' }), undefined);
    assert.equal(resolveProxy(http, undefined, { HTTP_PROXY: 'http://h:3' }), 'http://h:3');
    assert.equal(resolveProxy(https, undefined, { HTTPS_PROXY: 'http://e:2', NO_PROXY: '.moonshot.cn' }), undefined);
    assert.equal(resolveProxy(https, undefined, { HTTPS_PROXY: 'http://e:2', no_proxy: '*' }), undefined);
  });

  it('matches NO_PROXY entries like curl does', () => {
    const u = new URL('https://api.moonshot.cn/v1');
    assert.equal(bypassesProxy(u, 'moonshot.cn'), true);
    assert.equal(bypassesProxy(u, '.moonshot.cn'), true);
    assert.equal(bypassesProxy(u, '*.moonshot.cn'), true);
    assert.equal(bypassesProxy(u, 'api.moonshot.cn:443'), true);
    assert.equal(bypassesProxy(u, 'api.moonshot.cn:8443'), false);
    assert.equal(bypassesProxy(u, 'shot.cn'), false);
    assert.equal(bypassesProxy(u, 'example.com, localhost'), false);
    assert.equal(bypassesProxy(new URL('http://[::1]:8080/v1'), '[::1]:8080'), true);
    assert.equal(bypassesProxy(new URL('http://[::1]:8080/v1'), '::1'), true);
  });

  it('normalises base URLs', () => {
    assert.equal(normalizeBaseUrl(undefined), 'https://api.moonshot.cn/v1');
    assert.equal(normalizeBaseUrl(' '), 'https://api.moonshot.cn/v1');
    assert.equal(normalizeBaseUrl('https://api.moonshot.ai'), 'https://api.moonshot.ai/v1');
    assert.equal(normalizeBaseUrl('https://api.moonshot.ai/'), 'https://api.moonshot.ai/v1');
    assert.equal(normalizeBaseUrl('https://api.moonshot.ai/v1/'), 'https://api.moonshot.ai/v1');
    assert.equal(normalizeBaseUrl('https://gw.example.com/kimi/v1'), 'https://gw.example.com/kimi/v1');
    assert.throws(() => normalizeBaseUrl('ftp://x'));
  });

  it('exposes usage as chunk.usage wherever the server put it, keeping both cached-token spellings', () => {
    const base = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm' };
    const inChoice: ChatCompletionChunk = {
      ...base,
      choices: [{ index: 0, delta: {}, finish_reason: 'stop', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, cached_tokens: 3 } }],
    };
    normalizeChunkUsage(inChoice);
    assert.deepEqual(inChoice.usage, { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, cached_tokens: 3 });
    const topLevel: ChatCompletionChunk = {
      ...base,
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 4 } },
    };
    normalizeChunkUsage(topLevel);
    assert.equal(topLevel.usage!.cached_tokens, 4);
    assert.equal(topLevel.usage!.prompt_tokens_details!.cached_tokens, 4);
    const none: ChatCompletionChunk = { ...base, choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] };
    normalizeChunkUsage(none);
    assert.equal(none.usage, undefined);
  });
});

// Error classes from real server answers: status, type, request id, retryable, retries made.
import * as assert from 'node:assert/strict';
import {
  InvokeAuthorizationError,
  InvokeBadRequestError,
  InvokeConnectionError,
  InvokeError,
  InvokeRateLimitError,
  InvokeServerUnavailableError,
  InvokeTimeoutError,
  isQuotaError,
  KimiClient,
} from '../../../src/kimi';
import { clientFor, useServer } from './helpers';

const q = [{ role: 'user' as const, content: 'hello' }];

function expectError<T extends InvokeError>(cls: new (...a: never[]) => T, check: (e: T) => void = () => undefined) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    check(e);
    return true;
  };
}

describe('KimiClient errors', function () {
  this.timeout(15_000);
  const ctx = useServer();
  const count = (path = '/v1/models') => ctx.server.requests.filter((r) => r.path.startsWith(path)).length;

  it('401: a wrong key is an authorization error with the request id, not retried', async () => {
    const client = new KimiClient({ apiKey: 'sk-wrong-key-123456', baseUrl: ctx.server.url });
    await assert.rejects(
      client.listModels(),
      expectError(InvokeAuthorizationError, (e) => {
        assert.equal(e.status, 401);
        assert.equal(e.type, 'invalid_authentication_error');
        assert.equal(e.message, 'Invalid Authentication');
        assert.equal(e.retryable, false);
        assert.equal(e.requestId, ctx.server.requests.at(-1)!.requestId);
      }),
    );
    assert.equal(count(), 1);
  });

  it('403 is an authorization error', async () => {
    ctx.server.fault({ kind: 'status', status: 403, type: 'permission_denied_error', message: 'The API you are accessing is not open' });
    await assert.rejects(clientFor(ctx.server).listModels(), expectError(InvokeAuthorizationError, (e) => assert.equal(e.status, 403)));
  });

  it('400 from the server is a bad request with its message, not retried', async () => {
    await assert.rejects(
      clientFor(ctx.server).generate('moonshot-v1-8k', q, { temperature: 1.5 }),
      expectError(InvokeBadRequestError, (e) => {
        assert.equal(e.status, 400);
        assert.equal(e.type, 'invalid_request_error');
        assert.match(e.message, /temperature/);
        assert.equal(e.retryable, false);
      }),
    );
    assert.equal(count('/v1/chat'), 1);
  });

  it('404 for an unknown model is a bad request', async () => {
    await assert.rejects(
      clientFor(ctx.server).generate('kimi-nope', q),
      expectError(InvokeBadRequestError, (e) => {
        assert.equal(e.status, 404);
        assert.equal(e.type, 'resource_not_found_error');
        assert.match(e.message, /kimi-nope/);
      }),
    );
  });

  it('404 with the url.not_found body (error is a string) becomes a clear error', async () => {
    ctx.server.fault({ kind: 'urlNotFound' });
    await assert.rejects(
      clientFor(ctx.server).listModels(),
      expectError(InvokeBadRequestError, (e) => {
        assert.equal(e.status, 404);
        assert.equal(e.type, 'url.not_found');
        assert.match(e.message, /GET \/v1\/models/);
        assert.match(e.message, /base URL/);
      }),
    );
  });

  it('a wrong base URL path reaches the real url.not_found route', async () => {
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: `http://127.0.0.1:${ctx.server.port}/v2` });
    await assert.rejects(client.listModels(), expectError(InvokeBadRequestError, (e) => assert.equal(e.type, 'url.not_found')));
  });

  it('429 without Retry-After is retried with backoff and then succeeds', async () => {
    ctx.server.fault({ kind: 'status', status: 429 });
    const models = await clientFor(ctx.server).listModels();
    assert.ok(models.length > 0);
    const [a, b] = ctx.server.requests;
    assert.equal(count(), 2);
    assert.ok(b!.at - a!.at >= 200, `waited ${b!.at - a!.at} ms`);
  });

  it('429 with Retry-After waits that long before retrying', async () => {
    ctx.server.fault({ kind: 'status', status: 429, retryAfter: 1 });
    await clientFor(ctx.server).listModels();
    const [a, b] = ctx.server.requests;
    assert.ok(b!.at - a!.at >= 950, `waited ${b!.at - a!.at} ms`);
  });

  it('a chat POST answered 503 with Retry-After waits that long and is sent again', async () => {
    ctx.server.fault({ kind: 'status', status: 503, retryAfter: 1, times: 1 });
    const res = await clientFor(ctx.server).generate('moonshot-v1-8k', q);
    assert.equal(res.choices[0]!.finish_reason, 'stop');
    const [a, b] = ctx.server.requests;
    assert.equal(count('/v1/chat'), 2);
    assert.ok(b!.at - a!.at >= 950, `waited ${b!.at - a!.at} ms`);
  });

  it('429 exposes retryAfter from the header and from "try again after N seconds"', async () => {
    ctx.server.fault({ kind: 'status', status: 429, retryAfter: 7 });
    await assert.rejects(
      clientFor(ctx.server, { maxRetries: 0 }).listModels(),
      expectError(InvokeRateLimitError, (e) => {
        assert.equal(e.retryAfter, 7);
        assert.equal(e.type, 'rate_limit_reached_error');
        assert.equal(e.retryable, true);
      }),
    );
    ctx.server.fault({
      kind: 'status',
      status: 429,
      type: 'rate_limit_reached_error',
      message: 'Your account org<ak-1> request reached max concurrency: 1, please try again after 3 seconds',
    });
    await assert.rejects(clientFor(ctx.server, { maxRetries: 0 }).listModels(), expectError(InvokeRateLimitError, (e) => assert.equal(e.retryAfter, 3)));
  });

  it('quota 429 (exceeded_current_quota_error) is never retried', async () => {
    ctx.server.fault({
      kind: 'status',
      status: 429,
      type: 'exceeded_current_quota_error',
      message: 'You exceeded your current token quota: 0, please check your account balance',
      times: 3,
    });
    await assert.rejects(
      clientFor(ctx.server, { maxRetries: 3 }).generate('moonshot-v1-8k', q),
      expectError(InvokeRateLimitError, (e) => {
        assert.equal(e.retryable, false);
        assert.ok(isQuotaError(e));
      }),
    );
    assert.equal(count('/v1/chat'), 1);
  });

  it('500/502/503/504 on a GET are retried; success follows', async () => {
    for (const status of [500, 502, 503, 504]) ctx.server.fault({ kind: 'status', status, times: 1, match: '/v1/models' });
    assert.ok((await clientFor(ctx.server, { maxRetries: 4 }).listModels()).length > 0);
    assert.equal(count('/v1/models'), 5);
  });

  it('a chat POST is retried after 503 (the server declined it) but not after 500/502/504', async () => {
    ctx.server.fault({ kind: 'status', status: 503, times: 2 });
    const res = await clientFor(ctx.server).generate('moonshot-v1-8k', q);
    assert.equal(res.choices[0]!.finish_reason, 'stop');
    assert.equal(count('/v1/chat'), 3);
    for (const status of [500, 502, 504]) {
      ctx.server.reset();
      ctx.server.fault({ kind: 'status', status, times: 1 });
      await assert.rejects(clientFor(ctx.server, { maxRetries: 3 }).generate('moonshot-v1-8k', q), expectError(InvokeServerUnavailableError, (e) => assert.equal(e.status, status)));
      assert.equal(count('/v1/chat'), 1, `${status} was sent again`);
    }
  });

  it('5xx beyond maxRetries is a server-unavailable error', async () => {
    ctx.server.fault({ kind: 'status', status: 500, times: 5 });
    await assert.rejects(
      clientFor(ctx.server, { maxRetries: 1 }).listModels(),
      expectError(InvokeServerUnavailableError, (e) => {
        assert.equal(e.status, 500);
        assert.equal(e.type, 'server_error');
        assert.equal(e.retryable, true);
      }),
    );
    assert.equal(count(), 2);
  });

  it('a gateway HTML page becomes a short readable message', async () => {
    ctx.server.fault({ kind: 'status', status: 504, rawBody: '<html><body><h1>504 Gateway Time-out</h1></body></html>' });
    await assert.rejects(
      clientFor(ctx.server, { maxRetries: 0 }).listModels(),
      expectError(InvokeServerUnavailableError, (e) => {
        assert.equal(e.message, '504 Gateway Time-out');
        assert.equal(e.status, 504);
      }),
    );
  });

  it('a connection dropped before any answer is a connection error, retried', async () => {
    ctx.server.fault({ kind: 'cut', afterChunks: 0, match: '/v1/models' });
    assert.ok((await clientFor(ctx.server).listModels()).length > 0);
    assert.equal(count(), 2);
    ctx.server.fault({ kind: 'cut', afterChunks: 0, match: '/v1/models' });
    await assert.rejects(
      clientFor(ctx.server, { maxRetries: 0 }).listModels(),
      expectError(InvokeConnectionError, (e) => {
        assert.ok(!(e instanceof InvokeTimeoutError));
        assert.equal(e.retryable, true);
      }),
    );
  });

  it('a refused connection is a connection error', async () => {
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0 });
    await assert.rejects(client.listModels(), expectError(InvokeConnectionError, (e) => assert.match(e.message, /ECONNREFUSED/)));
  });

  it('a slow first byte times out (and a retry can then succeed)', async () => {
    // undici's timers are coarse (about a second), so the server waits well beyond that.
    ctx.server.fault({ kind: 'slowFirstByte', delayMs: 5000 });
    const t0 = Date.now();
    await assert.rejects(clientFor(ctx.server, { maxRetries: 0, timeoutMs: 300 }).listModels(), expectError(InvokeTimeoutError));
    assert.ok(Date.now() - t0 < 4500, 'gave up before the server answered');
    ctx.server.fault({ kind: 'slowFirstByte', delayMs: 5000 });
    assert.ok((await clientFor(ctx.server, { maxRetries: 1, timeoutMs: 300 }).listModels()).length > 0);
  });

  it('a per-call timeoutMs overrides the client timeout', async () => {
    ctx.server.fault({ kind: 'slowFirstByte', delayMs: 800 });
    const client = clientFor(ctx.server, { maxRetries: 0, timeoutMs: 200 });
    assert.ok((await client.listModels({ timeoutMs: 3000 })).length > 0);
  });

  it('JSON answers written in awkward pieces still parse', async () => {
    ctx.server.fault({ kind: 'fragment', pieces: 'bytes', match: '/v1/models' });
    assert.ok((await clientFor(ctx.server).listModels()).length > 5);
  });
});

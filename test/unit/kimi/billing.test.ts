// Paying once: a POST is sent again only when the server cannot have acted on it. Real local servers
// that stall, close or reset at each point of an exchange count what they received.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeConnectionError, InvokeRateLimitError, InvokeServerUnavailableError, InvokeTimeoutError, KimiClient, type InvokeError } from '../../../src/kimi';
import { retryVerdict } from '../../../src/kimi/retry';
import { drain, KEY, MemoryLogger, useServer } from './helpers';

interface Counting {
  url: string;
  /** 'METHOD /path' of every request whose headers arrived. */
  requests: string[];
  close(): Promise<void>;
}

/** A local server whose handler gets the request number (1-based). */
async function counting(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<Counting> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res, requests.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const COMPLETION = JSON.stringify({
  id: 'c1',
  object: 'chat.completion',
  created: 0,
  model: 'kimi-k2.5',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});
const MODELS = JSON.stringify({ object: 'list', data: [{ id: 'kimi-k2.5', object: 'model' }] });

function answer(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'msh-request-id': 'rid-ok' });
    res.end(req.method === 'GET' ? MODELS : COMPLETION);
  });
}

const ask = [{ role: 'user' as const, content: 'hello' }];

describe('Paying once: when a request is sent again', function () {
  this.timeout(20_000);
  let s: Counting | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('a chat stream that got its 200 but no first chunk fails; it is not sent again', async () => {
    s = await counting((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      // ...and then nothing.
    });
    const logger = new MemoryLogger();
    const client = new KimiClient({ apiKey: KEY, baseUrl: s.url, timeoutMs: 300, maxRetries: 3, logger });
    const { chunks, error } = await drain(client.streamGenerate('kimi-k2.5', ask));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof InvokeTimeoutError, String(error));
    assert.deepEqual(s.requests, ['POST /v1/chat/completions']);
    assert.ok(logger.lines.some((l) => /^info POST \/v1\/chat\/completions: not retrying \(InvokeTimeoutError: the server had accepted it/.test(l)), logger.lines.join('\n'));
  });

  it('a request read but never answered: the POST times out once, a GET is retried', async () => {
    s = await counting((req) => req.resume());
    const logger = new MemoryLogger();
    const client = new KimiClient({ apiKey: KEY, baseUrl: s.url, timeoutMs: 300, maxRetries: 1, logger });
    await assert.rejects(client.generate('kimi-k2.5', ask), (e: unknown) => e instanceof InvokeTimeoutError);
    assert.deepEqual(s.requests, ['POST /v1/chat/completions']);
    assert.ok(logger.lines.some((l) => l.includes('not retrying (InvokeTimeoutError: the server may have received it (UND_ERR_HEADERS_TIMEOUT)')), logger.lines.join('\n'));
    await assert.rejects(new KimiClient({ apiKey: KEY, baseUrl: s.url, timeoutMs: 300, maxRetries: 1 }).listModels(), (e: unknown) => e instanceof InvokeTimeoutError);
    assert.equal(s.requests.filter((r) => r === 'GET /v1/models').length, 2);
  });

  it('a connection closed after the request was read, before any answer: the POST is not sent again, a GET is', async () => {
    s = await counting((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    const client = new KimiClient({ apiKey: KEY, baseUrl: s.url, maxRetries: 2 });
    await assert.rejects(client.generate('kimi-k2.5', ask), (e: unknown) => e instanceof InvokeConnectionError);
    assert.equal(s.requests.length, 1);
    await assert.rejects(client.listModels(), (e: unknown) => e instanceof InvokeConnectionError);
    assert.equal(s.requests.length, 1 + 3);
  });

  it('a reset in the middle of the request (body unread) is sent again and then succeeds', async () => {
    s = await counting((req, res, n) => {
      if (n === 1) req.socket.resetAndDestroy();
      else answer(req, res);
    });
    const logger = new MemoryLogger();
    const client = new KimiClient({ apiKey: KEY, baseUrl: s.url, maxRetries: 2, logger });
    const res = await client.generate('kimi-k2.5', ask);
    assert.equal(res.choices[0]!.message.content, 'hi');
    assert.deepEqual(s.requests, ['POST /v1/chat/completions', 'POST /v1/chat/completions']);
    assert.ok(logger.lines.some((l) => /^info POST \/v1\/chat\/completions: retrying in \d+ ms \(InvokeConnectionError: the request did not reach the server \(ECONNRESET\)/.test(l)), logger.lines.join('\n'));
  });

  it('a refused connection is retried for a POST too', async () => {
    const closed = await counting(() => undefined);
    const url = closed.url;
    await closed.close();
    const logger = new MemoryLogger();
    const client = new KimiClient({ apiKey: KEY, baseUrl: url, maxRetries: 2, logger });
    await assert.rejects(client.generate('kimi-k2.5', ask), (e: unknown) => e instanceof InvokeConnectionError);
    assert.equal(logger.lines.filter((l) => l.includes('the request did not reach the server (ECONNREFUSED)') && l.includes('retrying in')).length, 2, logger.lines.join('\n'));
  });

  it('a POST answered 500, 502 or 504 is not sent again; 503 and 429 are', async () => {
    let status = 500;
    s = await counting((req, res, n) => {
      req.resume();
      if (n % 2 === 0) return answer(req, res);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: status === 429 ? 'engine_overloaded_error' : 'server_error', message: 'no' } }));
    });
    const client = new KimiClient({ apiKey: KEY, baseUrl: s.url, maxRetries: 2 });
    for (const once of [500, 502, 504]) {
      status = once;
      await assert.rejects(client.generate('kimi-k2.5', ask), (e: unknown) => e instanceof InvokeServerUnavailableError && e.status === once);
      assert.equal(s.requests.length, 1, `${once}: ${s.requests.join(', ')}`);
      s.requests.length = 0; // the count is also the request number: the next one fails again
    }
    for (const again of [503, 429]) {
      status = again;
      assert.equal((await client.generate('kimi-k2.5', ask)).choices[0]!.finish_reason, 'stop');
      assert.equal(s.requests.length, 2, `${again}: ${s.requests.join(', ')}`);
      s.requests.length = 0;
    }
  });
});

/** In front of the test server: passes requests on, but for those `lose` picks, hangs up instead of answering. */
async function losingFront(target: string, lose: (method: string, path: string) => boolean): Promise<Counting> {
  const origin = new URL(target).origin;
  return counting(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const answered = await fetch(origin + req.url, {
      method: req.method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
      body: body.length ? body : undefined,
    });
    const text = await answered.text();
    if (lose(req.method ?? '', req.url ?? '')) {
      req.socket.destroy();
      return;
    }
    res.writeHead(answered.status, { 'content-type': 'application/json', 'msh-request-id': answered.headers.get('msh-request-id') ?? '' });
    res.end(text);
  });
}

describe('Paying once: creating a cache or tag whose answer was lost', function () {
  this.timeout(20_000);
  const ctx = useServer({ cacheReadyAfterMs: 50 });
  let front: Counting | undefined;
  afterEach(async () => {
    await front?.close();
    front = undefined;
  });
  const messages = [{ role: 'system' as const, content: 'The whole project.' }];
  const posts = (path: string): number => ctx.server.requests.filter((r) => r.method === 'POST' && r.path === path).length;

  it('created, then the connection dropped: the cache is found by its nonce and not created twice', async () => {
    let lost = 0;
    front = await losingFront(ctx.server.url, (method, path) => method === 'POST' && path === '/v1/caching' && lost++ === 0);
    const logger = new MemoryLogger();
    const client = new KimiClient({ apiKey: KEY, baseUrl: front.url, maxRetries: 2, logger });
    const cache = await client.createCache('moonshot-v1', messages, { name: 'once', metadata: { project: 'alpha' } });
    assert.equal(posts('/v1/caching'), 1);
    assert.equal(ctx.server.caches.size, 1);
    assert.deepEqual([...ctx.server.caches.keys()], [cache.id]);
    assert.equal(cache.metadata?.project, 'alpha');
    assert.ok(logger.lines.some((l) => l.includes('the earlier attempt had succeeded')), logger.lines.join('\n'));
  });

  it('the lookup is made even with maxRetries 0 (it sends nothing that can be billed)', async () => {
    let lost = 0;
    front = await losingFront(ctx.server.url, (method, path) => method === 'POST' && path === '/v1/caching' && lost++ === 0);
    const cache = await new KimiClient({ apiKey: KEY, baseUrl: front.url, maxRetries: 0 }).createCache('moonshot-v1', messages);
    assert.equal(posts('/v1/caching'), 1);
    assert.ok(ctx.server.caches.has(cache.id));
  });

  it('dropped before it was created: not found by the lookup, so it is sent again, once', async () => {
    ctx.server.fault({ kind: 'cut', afterChunks: 0, match: '/v1/caching' });
    const cache = await new KimiClient({ apiKey: KEY, baseUrl: ctx.server.url, maxRetries: 2 }).createCache('moonshot-v1', messages);
    assert.equal(posts('/v1/caching'), 2);
    assert.deepEqual([...ctx.server.caches.keys()], [cache.id]);
    assert.ok(ctx.server.requests.some((r) => r.method === 'GET' && r.path.startsWith('/v1/caching?') && r.path.includes('kimi_vscode_nonce')));
  });

  it('a tag bound, then the answer lost: the tag is found pointing at the cache, not bound twice', async () => {
    const cache = await new KimiClient({ apiKey: KEY, baseUrl: ctx.server.url }).createCache('moonshot-v1', messages);
    let lost = 0;
    front = await losingFront(ctx.server.url, (method, path) => method === 'POST' && path === '/v1/caching/refs/tags' && lost++ === 0);
    const tag = await new KimiClient({ apiKey: KEY, baseUrl: front.url, maxRetries: 2 }).createTag('my-tag', cache.id);
    assert.equal(tag.cache_id, cache.id);
    assert.equal(posts('/v1/caching/refs/tags'), 1);
  });
});

describe('Paying once: the retry rule per method', () => {
  const socketError = (code: string): InvokeConnectionError => new InvokeConnectionError(`failed (${code})`, { cause: Object.assign(new Error(code), { code }) });
  const cases: Array<[string, InvokeError, boolean, boolean, boolean]> = [
    // error, accepted (2xx arrived), POST retried, GET retried
    ['DNS failure', socketError('ENOTFOUND'), false, true, true],
    ['DNS not answering', socketError('EAI_AGAIN'), false, true, true],
    ['connection refused', socketError('ECONNREFUSED'), false, true, true],
    ['connect timeout', new InvokeTimeoutError('t', { cause: { code: 'UND_ERR_CONNECT_TIMEOUT' } }), false, true, true],
    ['reset before any answer', socketError('ECONNRESET'), false, true, true],
    ['closed after reading', socketError('UND_ERR_SOCKET'), false, false, true],
    ['no answer in time', new InvokeTimeoutError('t', { cause: { code: 'UND_ERR_HEADERS_TIMEOUT' } }), false, false, true],
    ['reset after a 200', socketError('ECONNRESET'), true, false, true],
    ['429 engine overloaded', new InvokeRateLimitError('busy', { status: 429, type: 'engine_overloaded_error', retryable: true }), false, true, true],
    ['429 quota', new InvokeRateLimitError('quota', { status: 429, type: 'exceeded_current_quota_error' }), false, false, false],
    ['503 with Retry-After', new InvokeServerUnavailableError('later', { status: 503, retryable: true, retryAfter: 2 }), false, true, true],
    ['503 asking for 2 minutes', new InvokeServerUnavailableError('later', { status: 503, retryable: true, retryAfter: 120 }), false, false, false],
    ['503', new InvokeServerUnavailableError('down', { status: 503, retryable: true }), false, true, true],
    ['500', new InvokeServerUnavailableError('oops', { status: 500, retryable: true }), false, false, true],
    ['504', new InvokeServerUnavailableError('slow', { status: 504, retryable: true }), false, false, true],
  ];
  for (const [name, err, accepted, post, get] of cases) {
    it(`${name}: POST ${post ? 'retried' : 'not retried'}, GET ${get ? 'retried' : 'not retried'}`, () => {
      assert.equal(retryVerdict(err, { method: 'POST', accepted }).retry, post);
      assert.equal(retryVerdict(err, { method: 'GET', accepted }).retry, get);
      assert.equal(retryVerdict(err, { method: 'POST', idempotent: true, accepted }).retry, get, 'a POST marked idempotent follows the GET rule');
    });
  }
});

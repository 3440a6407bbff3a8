// Transport behaviour seen from a tiny local server that watches its sockets: keep-alive reuse,
// abort closing the socket (during a stream and during a backoff wait), no redirects followed.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InvokeRateLimitError, isAbortError, KimiClient } from '../../../src/kimi';
import { drain } from './helpers';

interface Watched {
  server: Server;
  url: string;
  connections: Socket[];
  requests: IncomingMessage[];
}

async function watchedServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Watched> {
  const w: Watched = { server: createServer(handler), url: '', connections: [], requests: [] };
  w.server.on('connection', (s: Socket) => w.connections.push(s));
  w.server.on('request', (req: IncomingMessage) => w.requests.push(req));
  await new Promise<void>((r) => w.server.listen(0, '127.0.0.1', r));
  w.url = `http://127.0.0.1:${(w.server.address() as AddressInfo).port}/v1`;
  return w;
}

const closeServer = (w: Watched): Promise<void> =>
  new Promise((r) => {
    w.server.closeAllConnections();
    w.server.close(() => r());
  });

const models = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ object: 'list', data: [{ id: 'moonshot-v1-8k', object: 'model' }] }));
};

describe('KimiClient transport', function () {
  this.timeout(10_000);
  let w: Watched | undefined;
  afterEach(async () => {
    if (w) await closeServer(w);
    w = undefined;
  });

  it('reuses keep-alive connections for consecutive requests', async () => {
    w = await watchedServer((req, res) => {
      req.resume();
      models(res);
    });
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: w.url });
    for (let i = 0; i < 10; i++) await client.listModels();
    assert.equal(w.requests.length, 10);
    // undici's pool may open a second connection when the first is still settling; never one per request.
    assert.ok(w.connections.length <= 2, `${w.connections.length} connections for 10 requests`);
    await client.close();
  });

  it('a stream is complete at [DONE] even if the response stays open, and then reuses the connection', async () => {
    const chunk = JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] });
    let hang = true;
    w = await watchedServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${chunk}\n\ndata: [DONE]\n\n`);
      // The first response lingers after [DONE]; the others end at once.
      if (hang) {
        hang = false;
        setTimeout(() => res.end(), 5000);
      } else res.end();
    });
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: w.url });
    const t0 = Date.now();
    const first = await drain(client.streamGenerate('m', [{ role: 'user', content: 'x' }]));
    assert.equal(first.error, undefined);
    assert.equal(first.text, 'hi');
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
    for (let i = 0; i < 6; i++) assert.equal((await drain(client.streamGenerate('m', [{ role: 'user', content: 'x' }]))).text, 'hi');
    assert.equal(w.requests.length, 7);
    // The lingering one keeps its connection for a while; the rest share kept-alive ones.
    assert.ok(w.connections.length <= 3, `${w.connections.length} connections for 7 streams`);
  });

  /** A server that streams chunks until the client hangs up; resolves when the socket closes. */
  async function endlessStream(): Promise<{ url: string; socketClosed: Promise<void> }> {
    let closed!: () => void;
    const socketClosed = new Promise<void>((r) => (closed = r));
    w = await watchedServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'tick ' }, finish_reason: null }] });
      const timer = setInterval(() => res.write(`data: ${chunk}\n\n`), 20);
      res.socket!.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    return { url: w.url, socketClosed };
  }

  it('abort during a stream closes the socket', async () => {
    const { url, socketClosed } = await endlessStream();
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: url });
    const controller = new AbortController();
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of client.streamGenerate('m', [{ role: 'user', content: 'x' }], { signal: controller.signal })) {
          if (++n === 3) controller.abort();
        }
      })(),
      (e: unknown) => isAbortError(e),
    );
    await socketClosed;
    assert.equal(n, 3);
  });

  it('a consumer that stops reading early (break) also closes the socket', async () => {
    const { url, socketClosed } = await endlessStream();
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: url });
    let n = 0;
    for await (const _ of client.streamGenerate('m', [{ role: 'user', content: 'x' }])) if (++n === 2) break;
    await socketClosed;
  });

  it('abort during a backoff wait rejects at once and sends nothing more', async () => {
    let retryAfter = '30';
    w = await watchedServer((req, res) => {
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter });
      res.end(JSON.stringify({ error: { type: 'rate_limit_reached_error', message: 'slow down' } }));
    });
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: w.url });
    const controller = new AbortController();
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(client.listModels({ signal: controller.signal }), (e: unknown) => isAbortError(e));
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    assert.equal(w.requests.length, 1);
    // A Retry-After beyond a minute is not waited for: the error goes to the caller.
    retryAfter = '120';
    const res = await new KimiClient({ apiKey: 'sk-test-key', baseUrl: w.url }).listModels().catch((e: unknown) => e);
    assert.ok(res instanceof InvokeRateLimitError);
    assert.equal(res.retryAfter, 120);
    assert.equal(w.requests.length, 2);
  });

  it('does not follow a redirect, so the key never goes to another origin', async () => {
    const other = await watchedServer((req, res) => {
      req.resume();
      models(res);
    });
    try {
      w = await watchedServer((req, res) => {
        req.resume();
        res.writeHead(307, { location: `${other.url}/models` });
        res.end();
      });
      const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: w.url, maxRetries: 0 });
      await assert.rejects(client.listModels());
      assert.equal(other.requests.length, 0);
      assert.equal(w.requests[0]!.headers.authorization, 'Bearer sk-test-key');
    } finally {
      await closeServer(other);
    }
  });

  it('sends nothing until the first request (undici is loaded lazily)', async () => {
    w = await watchedServer((req, res) => {
      req.resume();
      models(res);
    });
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: w.url });
    assert.equal(w.connections.length, 0);
    await client.listModels();
    assert.equal(w.connections.length, 1);
  });
});

// Stream shapes the test server does not produce, from a tiny local server: `event: error` frames,
// comments and CRLF framing, multi-line data, a JSON error body instead of a stream.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeBadRequestError, InvokeError, InvokeRateLimitError, KimiClient } from '../../../src/kimi';
import { drain } from './helpers';

const chunk = (content: string) =>
  JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });

async function serving(status: number, contentType: string, body: string): Promise<{ server: Server; client: KimiClient }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'content-type': contentType, 'msh-request-id': 'rid-1' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maxRetries: 0 });
  return { server, client };
}

describe('KimiClient stream frames', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });
  const q = [{ role: 'user' as const, content: 'x' }];

  it('an `event: error` frame becomes a typed error after the chunks before it', async () => {
    const s = await serving(200, 'text/event-stream', `data: ${chunk('a')}\n\nevent: error\ndata: {"type":"rate_limit_reached_error","message":"slow down, try again after 2 seconds"}\n\n`);
    server = s.server;
    const { chunks, error } = await drain(s.client.streamGenerate('m', q));
    assert.equal(chunks.length, 1);
    assert.ok(error instanceof InvokeRateLimitError);
    assert.equal(error.retryAfter, 2);
    assert.equal(error.requestId, 'rid-1');
  });

  it('an `event: error` frame with plain text data keeps the text', async () => {
    const s = await serving(200, 'text/event-stream', 'event: error\ndata: upstream went away\n\n');
    server = s.server;
    const { error } = await drain(s.client.streamGenerate('m', q));
    assert.ok(error instanceof InvokeError);
    assert.equal(error.message, 'upstream went away');
  });

  it('reads CRLF framing, comments and multi-line data', async () => {
    const body = `: ping\r\n\r\ndata: ${chunk('one ')}\r\n\r\n:another\r\ndata: {"id":"x","object":"chat.completion.chunk","created":0,"model":"m",\r\ndata: "choices":[{"index":0,"delta":{"content":"two"},"finish_reason":null}]}\r\n\r\ndata: [DONE]\r\n\r\n`;
    const s = await serving(200, 'text/event-stream', body);
    server = s.server;
    const { text, error } = await drain(s.client.streamGenerate('m', q));
    assert.equal(error, undefined);
    assert.equal(text, 'one two');
  });

  it('a data line that is not JSON is an error, not a silent skip', async () => {
    const s = await serving(200, 'text/event-stream', `data: ${chunk('a')}\n\ndata: <html>oops\n\ndata: [DONE]\n\n`);
    server = s.server;
    const { chunks, error } = await drain(s.client.streamGenerate('m', q));
    assert.equal(chunks.length, 1);
    assert.ok(error instanceof InvokeError);
    assert.match(error.message, /not JSON/);
  });

  it('an error status on a stream request throws before any chunk', async () => {
    const s = await serving(400, 'application/json', JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid request: bad' } }));
    server = s.server;
    const { chunks, error } = await drain(s.client.streamGenerate('m', q));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof InvokeBadRequestError);
    assert.equal(error.message, 'Invalid request: bad');
    assert.equal(error.requestId, 'rid-1');
  });

  it('an empty 200 stream is a connection error', async () => {
    const s = await serving(200, 'text/event-stream', '');
    server = s.server;
    const { error } = await drain(s.client.streamGenerate('m', q));
    assert.ok(error instanceof InvokeError && error.name === 'InvokeConnectionError', String(error));
  });
});

// Every switchable fault of the test server, observed from a real client socket.
import * as assert from 'node:assert/strict';
import { startMockServer, type MockServer } from '../server';
import { call, rawRequest, stream, textOf } from './server-support';

const CHAT = '/v1/chat/completions';
// Thinking off: the fault tests count content chunks.
const ASK = { model: 'kimi-k2.5', thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'echo:你好，世界！Kimi 🎉 streams bytes.' }] };

/** True when this piece on its own is not valid UTF-8 (it splits a character). */
function splitsACharacter(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

describe('test server: faults', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  describe('status', () => {
    it('fails the next request with the status, type and message, then recovers', async () => {
      server.fault({ kind: 'status', status: 429, type: 'engine_overloaded_error', message: 'The engine is currently overloaded, please try again later' });
      const failed = await call(server, 'GET', '/v1/models');
      assert.equal(failed.status, 429);
      assert.deepEqual(failed.json, { error: { message: 'The engine is currently overloaded, please try again later', type: 'engine_overloaded_error' } });
      assert.equal(failed.headers.get('retry-after'), null);
      assert.ok(failed.headers.get('msh-request-id'));
      assert.equal((await call(server, 'GET', '/v1/models')).status, 200);
    });

    it('sends Retry-After when asked, and a rate-limit type by default for 429', async () => {
      server.fault({ kind: 'status', status: 429, retryAfter: 3 });
      const failed = await call(server, 'GET', '/v1/models');
      assert.equal(failed.headers.get('retry-after'), '3');
      assert.equal(failed.json.error.type, 'rate_limit_reached_error');
    });

    it('fails `times` requests in a row (5xx then success)', async () => {
      server.fault({ kind: 'status', status: 503, times: 2 });
      assert.equal((await call(server, 'POST', CHAT, ASK)).status, 503);
      const second = await call(server, 'POST', CHAT, ASK);
      assert.equal(second.status, 503);
      assert.equal(second.json.error.type, 'server_error');
      assert.equal((await call(server, 'POST', CHAT, ASK)).status, 200);
    });

    it('sends a raw non-JSON body (a proxy error page)', async () => {
      server.fault({ kind: 'status', status: 502, rawBody: '<html>Bad Gateway</html>' });
      const failed = await call(server, 'GET', '/v1/models');
      assert.equal(failed.status, 502);
      assert.equal(failed.json, '<html>Bad Gateway</html>');
      assert.match(failed.headers.get('content-type') ?? '', /^text\/html/);
    });

    it('waits for a request whose path matches', async () => {
      server.fault({ kind: 'status', status: 500, match: CHAT });
      assert.equal((await call(server, 'GET', '/v1/models')).status, 200);
      assert.equal((await call(server, 'POST', CHAT, ASK)).status, 500);
      assert.equal((await call(server, 'POST', CHAT, ASK)).status, 200);
    });
  });

  it('urlNotFound answers with the gateway 404 shape', async () => {
    server.fault({ kind: 'urlNotFound' });
    const reply = await call(server, 'GET', '/v1/models');
    assert.equal(reply.status, 404);
    assert.equal(reply.json.error, 'url.not_found');
    assert.equal(reply.json.code, 5);
  });

  describe('cut', () => {
    it('ends a stream after N chunks without [DONE]', async () => {
      server.fault({ kind: 'cut', afterChunks: 3 });
      const result = await stream(server, ASK);
      assert.equal(result.status, 200);
      assert.equal(result.events.length, 3);
      assert.equal(result.done, false);
      assert.ok(!result.raw.includes('[DONE]'));
      assert.ok(result.error, 'the body should end abnormally');
    });

    it('drops a whole request before any response', async () => {
      server.fault({ kind: 'cut', afterChunks: 0 });
      await assert.rejects(call(server, 'GET', '/v1/models'));
      assert.equal((await call(server, 'GET', '/v1/models')).status, 200);
    });
  });

  it('streamError sends an error object after N chunks and no [DONE]', async () => {
    server.fault({ kind: 'streamError', afterChunks: 2, errorType: 'content_filter', message: 'The request was rejected because it was considered high risk' });
    const result = await stream(server, ASK);
    assert.equal(result.events.length, 3);
    assert.deepEqual(result.events[2], { error: { message: 'The request was rejected because it was considered high risk', type: 'content_filter' } });
    assert.equal(result.done, false);
    assert.equal(result.error, undefined, 'the stream ends cleanly');
  });

  it('stream-only faults wait for a streamed chat', async () => {
    server.fault({ kind: 'streamError', afterChunks: 0, errorType: 'server_error', message: 'boom' });
    assert.equal((await call(server, 'POST', CHAT, ASK)).status, 200);
    assert.equal((await call(server, 'GET', '/v1/models')).status, 200);
    assert.equal((await stream(server, ASK)).done, false);
  });

  describe('fragment', () => {
    it("'bytes' writes one byte at a time, splitting UTF-8 characters, same bytes overall", async () => {
      const plain = await rawRequest(server, CHAT, { ...ASK, stream: true });
      server.fault({ kind: 'fragment', pieces: 'bytes' });
      const split = await rawRequest(server, CHAT, { ...ASK, stream: true });
      const text = (r: typeof plain) => Buffer.concat(r.pieces.map((p) => p.bytes)).toString('utf8');
      // Same events apart from the random id.
      assert.equal(text(split).replace(/cmpl-[0-9a-f]+/g, 'ID'), text(plain).replace(/cmpl-[0-9a-f]+/g, 'ID'));
      assert.ok(split.pieces.length > 100, `only ${split.pieces.length} pieces arrived`);
      assert.ok(split.pieces.some((p) => splitsACharacter(p.bytes)), 'no piece ended inside a character');
      assert.ok(split.ended);
    });

    it("'random' splits inside 'data:' and inside characters", async () => {
      server.fault({ kind: 'fragment', pieces: 'random' });
      const split = await rawRequest(server, CHAT, { ...ASK, stream: true });
      const all = Buffer.concat(split.pieces.map((p) => p.bytes)).toString('utf8');
      assert.ok(all.endsWith('data: [DONE]\n\n'));
      assert.ok(split.pieces.some((p) => splitsACharacter(p.bytes)), 'no piece ended inside a character');
      const bytes = Buffer.concat(split.pieces.map((p) => p.bytes)).toString('latin1');
      const boundaries = new Set<number>();
      let offset = 0;
      for (const piece of split.pieces) boundaries.add((offset += piece.bytes.length));
      let insideData = false;
      for (let k = bytes.indexOf('data:'); k >= 0; k = bytes.indexOf('data:', k + 1)) {
        if ([1, 2, 3, 4].some((d) => boundaries.has(k + d))) insideData = true;
      }
      assert.ok(insideData, 'no piece boundary fell inside "data:"');
    });

    it('also fragments a JSON reply', async () => {
      server.fault({ kind: 'fragment', pieces: 'bytes' });
      const reply = await rawRequest(server, '/v1/tokenizers/estimate-token-count', ASK);
      assert.ok(reply.pieces.length > 10);
      assert.ok(JSON.parse(Buffer.concat(reply.pieces.map((p) => p.bytes)).toString('utf8')).data.total_tokens > 0);
    });
  });

  it('slowFirstByte holds the response headers back', async () => {
    server.fault({ kind: 'slowFirstByte', delayMs: 300 });
    const reply = await rawRequest(server, CHAT, { ...ASK, stream: true });
    assert.ok(reply.headersAt - reply.sentAt >= 290, `headers after ${reply.headersAt - reply.sentAt} ms`);
    assert.equal(reply.status, 200);
  });

  it('stall pauses after N chunks, then goes on to [DONE]', async () => {
    server.fault({ kind: 'stall', afterChunks: 2, delayMs: 300 });
    const reply = await rawRequest(server, CHAT, { ...ASK, stream: true });
    const gaps = reply.pieces.slice(1).map((p, i) => p.at - reply.pieces[i].at);
    assert.ok(Math.max(...gaps, reply.pieces[0].at - reply.headersAt) >= 290, `largest gap ${Math.max(...gaps)} ms`);
    assert.ok(Buffer.concat(reply.pieces.map((p) => p.bytes)).toString('utf8').endsWith('data: [DONE]\n\n'));
  });

  it('huge answers with exactly the asked number of characters', async () => {
    server.fault({ kind: 'huge', chars: 200_000 });
    const result = await stream(server, ASK);
    const text = textOf(result.events);
    assert.equal(text.length, 200_000);
    assert.ok((text.match(/^```ts$/gm) ?? []).length >= 30, 'prose, lists and many code blocks');
    assert.ok(result.done);
    server.fault({ kind: 'huge', chars: 50_000 });
    const whole = await call(server, 'POST', CHAT, { ...ASK, max_tokens: 10 });
    assert.equal(whole.json.choices[0].message.content.length, 50_000);
  });

  it('slow paces one stream', async () => {
    server.fault({ kind: 'slow', chunkDelayMs: 40 });
    const started = Date.now();
    const result = await stream(server, { ...ASK, messages: [{ role: 'user', content: 'echo:a b c' }] });
    assert.equal(result.events.length, 5);
    assert.ok(Date.now() - started >= 4 * 40 - 5);
    assert.deepEqual(server.state.faults.pending(), [], 'the fault paced one stream only');
  });
});

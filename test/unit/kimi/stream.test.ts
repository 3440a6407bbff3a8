// Streaming faults against the real test server: cut, in-band error, fragments, stall, abort, huge.
import * as assert from 'node:assert/strict';
import { answerFor } from '../../server';
import {
  InvokeBadRequestError,
  InvokeConnectionError,
  InvokeError,
  InvokeRateLimitError,
  InvokeServerUnavailableError,
  InvokeTimeoutError,
  isAbortError,
  type ChatMessage,
} from '../../../src/kimi';
import { chatRequests, clientFor, drain, useServer } from './helpers';

const question: ChatMessage[] = [{ role: 'user', content: 'Explain 上下文缓存 with an emoji 🚀 please' }];
const echo = (text: string): ChatMessage[] => [{ role: 'user', content: `echo:${text}` }];

describe('KimiClient streaming', function () {
  this.timeout(15_000);
  const ctx = useServer();
  const full = answerFor(question);

  it('a stream cut without [DONE] yields everything received, then throws a connection error', async () => {
    const reference = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question));
    ctx.server.fault({ kind: 'cut', afterChunks: 5 });
    const { chunks, error } = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question));
    assert.equal(chunks.length, 5);
    assert.deepEqual(
      chunks.map((c) => c.choices[0]!.delta),
      reference.chunks.slice(0, 5).map((c) => c.choices[0]!.delta),
    );
    assert.ok(error instanceof InvokeConnectionError, String(error));
    assert.ok(!(error instanceof InvokeTimeoutError));
    // Not retried: chunks had already been handed out.
    assert.equal(chatRequests(ctx.server), 2);
  });

  it('a stream cut after the final chunk but before [DONE] still throws after yielding it all', async () => {
    const reference = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question));
    ctx.server.fault({ kind: 'cut', afterChunks: reference.chunks.length });
    const { chunks, text, error } = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question));
    assert.equal(chunks.length, reference.chunks.length);
    assert.equal(text, full);
    assert.ok(error instanceof InvokeConnectionError);
  });

  it('a stream cut after its 200 but before its first chunk fails and is not sent again (it may be billed)', async () => {
    ctx.server.fault({ kind: 'cut', afterChunks: 0 });
    const { chunks, error } = await drain(clientFor(ctx.server, { maxRetries: 3 }).streamGenerate('moonshot-v1-8k', question));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof InvokeConnectionError, String(error));
    assert.equal(chatRequests(ctx.server), 1);
  });

  for (const [errorType, cls] of [
    ['engine_overloaded_error', InvokeRateLimitError],
    ['content_filter', InvokeBadRequestError],
    ['server_error', InvokeServerUnavailableError],
  ] as const) {
    it(`an in-band ${errorType} object becomes ${cls.name} after the chunks before it`, async () => {
      ctx.server.fault({ kind: 'streamError', afterChunks: 3, errorType, message: `boom: ${errorType}` });
      const { chunks, error } = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question));
      assert.equal(chunks.length, 3);
      assert.ok(error instanceof cls, String(error));
      assert.equal((error as InvokeError).type, errorType);
      assert.equal((error as InvokeError).message, `boom: ${errorType}`);
      assert.equal((error as InvokeError).requestId, ctx.server.requests.at(-1)!.requestId);
    });
  }

  it('an in-band error before any chunk is not sent again, even when retryable (the 200 had arrived)', async () => {
    ctx.server.fault({ kind: 'streamError', afterChunks: 0, errorType: 'engine_overloaded_error', message: 'overloaded' });
    const { chunks, error } = await drain(clientFor(ctx.server, { maxRetries: 3 }).streamGenerate('moonshot-v1-8k', question));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof InvokeRateLimitError, String(error));
    assert.equal(chatRequests(ctx.server), 1);
  });

  it('a 429 (not quota) or 503 before the stream opens is retried: the server declined it', async () => {
    ctx.server.fault({ kind: 'status', status: 429, times: 1 });
    ctx.server.fault({ kind: 'status', status: 503, times: 1 });
    const { text, error } = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question));
    assert.equal(error, undefined);
    assert.equal(text, full);
    assert.equal(chatRequests(ctx.server), 3);
  });

  for (const pieces of ['bytes', 'random'] as const) {
    it(`a stream written in ${pieces === 'bytes' ? 'single bytes' : 'random pieces'} (inside UTF-8 and "data:") reads the same`, async () => {
      const text = 'ASCII, 中文字符, emoji 😀🚀👩‍💻, accents éü, and "quotes" \\ done.\n'.repeat(3);
      ctx.server.fault({ kind: 'fragment', pieces });
      const got = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', echo(text)));
      assert.equal(got.error, undefined);
      assert.equal(got.text, text);
      assert.ok(got.chunks.at(-1)!.usage);
    });
  }

  it('a stall longer than the timeout ends the stream with a timeout after the chunks before it', async () => {
    ctx.server.fault({ kind: 'stall', afterChunks: 4, delayMs: 5000 });
    const t0 = Date.now();
    const { chunks, error } = await drain(clientFor(ctx.server, { timeoutMs: 300 }).streamGenerate('moonshot-v1-8k', question));
    assert.equal(chunks.length, 4);
    assert.ok(error instanceof InvokeTimeoutError, String(error));
    assert.ok(Date.now() - t0 < 4500);
    assert.equal(chatRequests(ctx.server), 1);
  });

  it('a stall shorter than the timeout is waited out', async () => {
    ctx.server.fault({ kind: 'stall', afterChunks: 4, delayMs: 300 });
    const { text, error } = await drain(clientFor(ctx.server, { timeoutMs: 2000 }).streamGenerate('moonshot-v1-8k', question));
    assert.equal(error, undefined);
    assert.equal(text, full);
  });

  it('a slow first byte on a stream times out', async () => {
    ctx.server.fault({ kind: 'slowFirstByte', delayMs: 3000 });
    const { chunks, error } = await drain(clientFor(ctx.server, { timeoutMs: 300, maxRetries: 0 }).streamGenerate('moonshot-v1-8k', question));
    assert.equal(chunks.length, 0);
    assert.ok(error instanceof InvokeTimeoutError, String(error));
  });

  it('abort during a stream stops it at once with an AbortError', async () => {
    ctx.server.fault({ kind: 'slow', chunkDelayMs: 100 });
    const controller = new AbortController();
    const got: string[] = [];
    const t0 = Date.now();
    await assert.rejects(
      (async () => {
        for await (const chunk of clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question, { signal: controller.signal })) {
          got.push(chunk.choices[0]!.delta.content ?? '');
          if (got.length === 3) controller.abort();
        }
      })(),
      (e: unknown) => isAbortError(e),
    );
    assert.equal(got.length, 3);
    // The whole answer would take over 5 s at this pace.
    assert.ok(Date.now() - t0 < 4000);
    assert.equal(chatRequests(ctx.server), 1);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question, { signal: controller.signal })).then((r) => {
      throw r.error;
    }), (e: unknown) => isAbortError(e));
    assert.equal(chatRequests(ctx.server), 0);
  });

  it('a huge answer arrives whole', async () => {
    const chars = 300_000;
    ctx.server.fault({ kind: 'huge', chars });
    const { text, error, chunks } = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question));
    assert.equal(error, undefined);
    assert.equal(text.length, chars);
    assert.ok(chunks.length > 1000);
    ctx.server.fault({ kind: 'huge', chars });
    const whole = await clientFor(ctx.server).generate('moonshot-v1-8k', question);
    assert.equal(whole.choices[0]!.message.content, text);
  });

  it('n > 1 streams every choice with its own usage', async () => {
    const { chunks } = await drain(clientFor(ctx.server).streamGenerate('moonshot-v1-8k', question, { n: 2, temperature: 0.5 }));
    const finals = chunks.filter((c) => c.usage);
    assert.equal(finals.length, 2);
    assert.deepEqual(finals.map((c) => c.choices[0]!.index), [0, 1]);
  });
});

import * as assert from 'node:assert/strict';
import { Clock, CountResult, CountSource, TokenCounter } from '../../../src/status/counter';

/** A manual clock: timers fire only when the test advances time. */
class FakeClock implements Clock {
  private t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown) {
    this.timers.delete(h as number);
  }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

interface Call {
  text: string;
  signal: AbortSignal;
  resolve(n: number): void;
  reject(e: unknown): void;
}

function setup(options: { maxChars?: number } = {}) {
  const clock = new FakeClock();
  const calls: Call[] = [];
  const results: CountResult[] = [];
  const counter = new TokenCounter(
    (text, _model, signal) =>
      new Promise<number>((resolve, reject) => {
        calls.push({ text, signal, resolve, reject });
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      }),
    (r) => results.push(r),
    { debounceMs: 500, clock, ...options },
  );
  return { clock, calls, results, counter };
}

const src = (text: string): CountSource => ({ length: text.length, text: () => text });
const flush = () => new Promise((r) => setImmediate(r));

describe('TokenCounter', () => {
  it('sends one request per pause, after the debounce', async () => {
    const { clock, calls, results, counter } = setup();
    for (const text of ['h', 'he', 'hel', 'hell', 'hello']) {
      counter.update(src(text), 'm');
      clock.advance(150);
    }
    assert.equal(calls.length, 0);
    clock.advance(500);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].text, 'hello');
    calls[0].resolve(5);
    await flush();
    assert.deepEqual(results.map((r) => r.kind === 'counted' && r.tokens), [5]);
    assert.equal(counter.stats.requests, 1);
  });

  it('aborts the request in flight when newer text arrives, and ignores its late answer', async () => {
    const { clock, calls, results, counter } = setup();
    counter.update(src('first'), 'm');
    clock.advance(500);
    counter.update(src('second'), 'm');
    assert.equal(calls[0].signal.aborted, true);
    calls[0].resolve(111);
    clock.advance(500);
    calls[1].resolve(222);
    await flush();
    assert.deepEqual(results.map((r) => r.kind === 'counted' && r.tokens), [222]);
    assert.equal(counter.stats.aborted, 1);
  });

  it('never requests unchanged text, and answers a known text from its cache at once', async () => {
    const { clock, calls, results, counter } = setup();
    counter.update(src('abc'), 'm');
    clock.advance(500);
    calls[0].resolve(3);
    await flush();
    counter.update(src('abc'), 'm');
    clock.advance(1000);
    assert.equal(calls.length, 1);
    assert.equal(counter.stats.unchanged, 1);
    counter.update(src('abcd'), 'm');
    clock.advance(500);
    calls[1].resolve(4);
    await flush();
    counter.update(src('abc'), 'm');
    assert.equal(calls.length, 2);
    assert.deepEqual(results.at(-1), { kind: 'counted', tokens: 3, model: 'm', cached: true, latencyMs: 0 });
    counter.update(src('abc'), 'other-model');
    clock.advance(500);
    assert.equal(calls.length, 3, 'another model is another count');
    assert.equal(counter.stats.repeatedRequests, 0);
  });

  it('reports a known text again after forgetShown, from its cache and without a request', async () => {
    const { clock, calls, results, counter } = setup();
    counter.update(src('abc'), 'm');
    clock.advance(500);
    calls[0].resolve(3);
    await flush();
    // Another document was shown and left before its count arrived: the display needs "abc" again.
    counter.forgetShown();
    counter.update(src('abc'), 'm');
    assert.deepEqual(results.at(-1), { kind: 'counted', tokens: 3, model: 'm', cached: true, latencyMs: 0 });
    assert.equal(results.length, 2);
    clock.advance(1000);
    assert.equal(calls.length, 1);
    assert.equal(counter.stats.repeatedRequests, 0);
  });

  it('estimates huge texts locally without reading them', () => {
    const { calls, results, counter } = setup({ maxChars: 1000 });
    counter.update({ length: 4000, text: () => assert.fail('text of a huge document was read') }, 'm');
    assert.equal(calls.length, 0);
    assert.deepEqual(results, [{ kind: 'estimated', tokens: 1000, model: 'm', chars: 4000, latencyMs: 0, reason: 'tooLong' }]);
  });

  it('counts empty text as 0 tokens without a request', () => {
    const { clock, calls, results, counter } = setup();
    counter.update(src(''), 'm');
    clock.advance(1000);
    assert.equal(calls.length, 0);
    assert.deepEqual(results, [{ kind: 'counted', tokens: 0, model: 'm', cached: true, latencyMs: 0 }]);
  });

  it('never sends a text its source says must stay local, and estimates it', () => {
    const { clock, calls, results, counter } = setup();
    counter.update({ ...src('OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwxyz'), keepLocal: () => 'secretText' }, 'm');
    clock.advance(1000);
    assert.equal(calls.length, 0);
    assert.equal(results.length, 1);
    assert.equal(results[0].kind, 'estimated');
    assert.equal(results[0].kind === 'estimated' && results[0].reason, 'secretText');
    assert.ok(results[0].tokens > 0);
  });

  it('falls back to the local estimate on failure, with the error, and does not retry the same text until it changes', async () => {
    const { clock, calls, results, counter } = setup();
    counter.update(src('x'), 'm');
    clock.advance(500);
    const error = new Error('401');
    calls[0].reject(error);
    await flush();
    assert.deepEqual(results[0], { kind: 'estimated', tokens: 1, model: 'm', chars: 1, latencyMs: 500, reason: 'failed', error });
    counter.update(src('x'), 'm');
    clock.advance(500);
    assert.equal(calls.length, 1);
    counter.invalidate();
    counter.update(src('x'), 'm');
    clock.advance(500);
    assert.equal(calls.length, 2);
  });

  it('measures the latency from the last change to the shown count', async () => {
    const { clock, calls, results, counter } = setup();
    counter.update(src('a'), 'm');
    clock.advance(100);
    counter.update(src('ab'), 'm');
    clock.advance(500);
    clock.advance(40);
    calls[0].resolve(2);
    await flush();
    assert.equal(results[0].latencyMs, 540);
  });

  it('counts empty text as 0 tokens at once, without a request (the API refuses empty messages)', async () => {
    const { clock, calls, results, counter } = setup();
    counter.update(src('hello'), 'm');
    counter.update(src(''), 'm');
    assert.deepEqual(results.map((r) => [r.kind, r.kind === 'counted' ? r.tokens : -1]), [['counted', 0]]);
    clock.advance(1000);
    await flush();
    assert.equal(calls.length, 0, 'the pending count of "hello" was dropped too');
    counter.update(src(''), 'm');
    assert.equal(results.length, 1, 'unchanged');
  });
});

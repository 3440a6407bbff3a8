// The token counter behind the status bar, free of vscode so unit tests and the benchmark drive it:
// debounced while text changes, at most one request in flight (newer text aborts it), results cached
// by a hash of model + text; texts above a size cap, empty texts and texts the source says must stay
// local are never sent (estimated locally, or 0), and a failed count falls back to the local estimate.
import { createHash } from 'node:crypto';
import { CHARS_PER_TOKEN_ESTIMATE, estimateTokens, LocalReason } from '../shared/privacy';

export type CountFn = (text: string, model: string, signal: AbortSignal) => Promise<number>;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What to count; `text()` is only called when `length` is under the cap (huge documents are never copied). */
export interface CountSource {
  length: number;
  text(): string;
  /** Why this text must not be sent (e.g. it contains a key); it is then estimated locally. */
  keepLocal?(text: string): LocalReason | undefined;
}

export type CountResult =
  | { kind: 'counted'; tokens: number; model: string; cached: boolean; latencyMs: number }
  /** A local estimate: too long to send, must stay local, or the API could not count it (`error`). */
  | { kind: 'estimated'; tokens: number; model: string; chars: number; latencyMs: number; reason: LocalReason; error?: unknown };

export interface CounterOptions {
  debounceMs?: number;
  /** Texts longer than this (UTF-16 units) are estimated locally, never sent. */
  maxChars?: number;
  cacheSize?: number;
  clock?: Clock;
}

export interface CounterStats {
  /** Count requests started. */
  requests: number;
  /** Requests aborted because newer text arrived. */
  aborted: number;
  /** Answers served from the content cache. */
  cacheHits: number;
  /** Updates whose text and model equal what is already shown (nothing to do). */
  unchanged: number;
  /** Requests started for a text+model that had been counted before (should stay 0). */
  repeatedRequests: number;
}

export class TokenCounter {
  readonly stats: CounterStats = { requests: 0, aborted: 0, cacheHits: 0, unchanged: 0, repeatedRequests: 0 };
  private readonly debounceMs: number;
  readonly maxChars: number;
  private readonly cacheSize: number;
  private readonly clock: Clock;
  private readonly cache = new Map<string, number>();
  private readonly everRequested = new Set<string>();
  private shownKey: string | undefined;
  private timer: unknown;
  private pending: { key: string; text: string; model: string } | undefined;
  private inFlight: { key: string; controller: AbortController } | undefined;
  private changedAt = 0;
  private disposed = false;

  constructor(
    private readonly count: CountFn,
    private readonly onResult: (result: CountResult) => void,
    options: CounterOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 500;
    this.maxChars = options.maxChars ?? 200_000;
    this.cacheSize = options.cacheSize ?? 256;
    this.clock = options.clock ?? realClock;
  }

  /** Call on every change of the counted text or the model. */
  update(source: CountSource, model: string): void {
    if (this.disposed) return;
    this.changedAt = this.clock.now();
    if (source.length > this.maxChars) {
      this.cancel();
      const key = `estimate\0${model}\0${source.length}`;
      if (key === this.shownKey) return void this.stats.unchanged++;
      this.shownKey = key;
      this.onResult({ kind: 'estimated', tokens: Math.ceil(source.length / CHARS_PER_TOKEN_ESTIMATE), model, chars: source.length, latencyMs: 0, reason: 'tooLong' });
      return;
    }
    const text = source.text();
    // Nothing to count: 0 tokens without a request (the API rejects empty content).
    const local = text ? source.keepLocal?.(text) : undefined;
    if (!text || local) {
      this.cancel();
      const key = `local\0${model}\0${local ?? 'empty'}\0${contentKey(model, text)}`;
      if (key === this.shownKey) return void this.stats.unchanged++;
      this.shownKey = key;
      if (!text) this.onResult({ kind: 'counted', tokens: 0, model, cached: true, latencyMs: 0 });
      else this.onResult({ kind: 'estimated', tokens: estimateTokens(text), model, chars: text.length, latencyMs: 0, reason: local! });
      return;
    }
    const key = contentKey(model, text);
    if (text === '') {
      // Nothing to count, and the API refuses an empty message: 0 tokens, no request.
      this.cancel();
      if (key === this.shownKey) return void this.stats.unchanged++;
      this.shownKey = key;
      this.onResult({ kind: 'counted', tokens: 0, model, cached: false, latencyMs: 0 });
      return;
    }
    if (key === this.shownKey) {
      // Back to what is displayed (e.g. undo, or a selection change that keeps the text).
      this.cancel();
      this.stats.unchanged++;
      return;
    }
    if (this.inFlight?.key === key || this.pending?.key === key) return;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cancel();
      this.stats.cacheHits++;
      this.cache.delete(key);
      this.cache.set(key, cached);
      this.shownKey = key;
      this.onResult({ kind: 'counted', tokens: cached, model, cached: true, latencyMs: 0 });
      return;
    }
    this.cancel();
    this.pending = { key, text, model };
    this.timer = this.clock.setTimeout(() => this.start(), this.debounceMs);
  }

  /**
   * The display now shows something else (e.g. another document was shown meanwhile): the next update
   * reports its result even when it equals the last one reported, from the cache when it is known.
   */
  forgetShown(): void {
    this.shownKey = undefined;
  }

  /** Forget the shown result (e.g. after the key changed) so the next update counts again. */
  invalidate(): void {
    this.cancel();
    this.shownKey = undefined;
    this.cache.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private start(): void {
    this.timer = undefined;
    const job = this.pending;
    this.pending = undefined;
    if (!job) return;
    const controller = new AbortController();
    this.inFlight = { key: job.key, controller };
    this.stats.requests++;
    if (this.everRequested.has(job.key)) this.stats.repeatedRequests++;
    this.everRequested.add(job.key);
    this.count(job.text, job.model, controller.signal).then(
      (tokens) => {
        this.remember(job.key, tokens);
        if (this.inFlight?.controller !== controller) return;
        this.inFlight = undefined;
        this.shownKey = job.key;
        this.onResult({ kind: 'counted', tokens, model: job.model, cached: false, latencyMs: this.clock.now() - this.changedAt });
      },
      (error: unknown) => {
        if (controller.signal.aborted || this.inFlight?.controller !== controller) return;
        this.inFlight = undefined;
        // Keep it as shown: the same text is not retried until it changes or invalidate() is called.
        this.shownKey = job.key;
        const tokens = estimateTokens(job.text);
        this.onResult({ kind: 'estimated', tokens, model: job.model, chars: job.text.length, latencyMs: this.clock.now() - this.changedAt, reason: 'failed', error });
      },
    );
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    if (this.inFlight) {
      this.inFlight.controller.abort();
      this.stats.aborted++;
      this.inFlight = undefined;
    }
  }

  private remember(key: string, tokens: number): void {
    this.cache.set(key, tokens);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }
}

function contentKey(model: string, text: string): string {
  return createHash('sha1').update(model).update('\0').update(text).digest('base64');
}

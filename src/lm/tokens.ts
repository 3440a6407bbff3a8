// Token counts for VS Code's prompt budgeting: the API's estimate endpoint, cached by model and
// content (VS Code counts the same messages again on every turn), and the local estimate when the
// text is very large or the endpoint cannot count for this model. Counting never fails a request.
import { createHash } from 'node:crypto';
import type { ChatMessage } from '../kimi/types';
import { CHARS_PER_TOKEN_ESTIMATE } from '../shared/privacy';

/** Larger texts are estimated locally, never sent (the status bar's cap). */
export const MAX_COUNTED_CHARS = 200_000;

export type CountMessages = (model: string, messages: ChatMessage[], signal: AbortSignal) => Promise<number>;

export interface TokenCountStats {
  requests: number;
  cacheHits: number;
  estimated: number;
}

export function localEstimate(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN_ESTIMATE);
}

export class TokenCounts {
  readonly stats: TokenCountStats = { requests: 0, cacheHits: 0, estimated: 0 };
  readonly #cache = new Map<string, Promise<number>>();
  /** Models the endpoint answered 400/404 for (e.g. one newer than its model list): estimated locally. */
  readonly #refused = new Set<string>();

  constructor(
    private readonly count: CountMessages,
    private readonly onFallback: (model: string, error: unknown) => void = () => {},
    private readonly limit = 1000,
  ) {}

  /** Tokens of `text` as one user message for `model`. */
  async tokens(model: string, text: string, signal: AbortSignal): Promise<number> {
    if (!text) return 0;
    if (text.length > MAX_COUNTED_CHARS || this.#refused.has(model)) {
      this.stats.estimated++;
      return localEstimate(text);
    }
    const key = createHash('sha1').update(model).update('\0').update(text).digest('base64');
    const known = this.#cache.get(key);
    if (known) {
      this.stats.cacheHits++;
      this.#cache.delete(key);
      this.#cache.set(key, known);
      return known;
    }
    this.stats.requests++;
    // Not tied to one caller's cancellation: the cached answer serves every later caller.
    const pending = this.count(model, [{ role: 'user', content: text }], new AbortController().signal).catch((e: unknown) => {
      const status = (e as { status?: unknown }).status;
      if (status === 400 || status === 404) this.#refused.add(model);
      else this.#cache.delete(key); // a passing failure: ask again next time
      this.onFallback(model, e);
      this.stats.estimated++;
      return localEstimate(text);
    });
    this.#cache.set(key, pending);
    if (this.#cache.size > this.limit) this.#cache.delete(this.#cache.keys().next().value as string);
    if (signal.aborted) return localEstimate(text);
    return pending;
  }

  clear(): void {
    this.#cache.clear();
    this.#refused.clear();
  }
}

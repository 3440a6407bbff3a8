// Turns the bytes of a chat completion stream into chunks. The stream is complete only at
// `data: [DONE]`; an error object inside the stream (`data: {"error":…}` or an `event: error`
// frame — the platform documents neither, OpenAI-compatible servers send both) becomes a typed error.
import { errorFromStreamObject, InvokeConnectionError, InvokeError } from './errors';
import { SseParser } from './sse';
import type { ChatCompletionChunk, Usage } from './types';

export class ChunkDecoder {
  readonly #sse = new SseParser();
  readonly #requestId: string | undefined;
  readonly #redact: (text: string) => string;
  /** Where the event callback puts the chunks of the current push. */
  #out: ChatCompletionChunk[] = [];
  /** Set once `data: [DONE]` arrived; anything after it is ignored. */
  done = false;
  /**
   * An in-band error, thrown by the reader only after the chunks that arrived before it in the same
   * read have been handed out.
   */
  failure: InvokeError | undefined;

  /** `redact` cleans error texts from the server (which might echo a key); chunk content is never touched. */
  constructor(requestId: string | undefined, redact: (text: string) => string = (t) => t) {
    this.#requestId = requestId;
    this.#redact = redact;
  }

  /** Decodes bytes into the chunks they complete; an in-band error is kept in `failure`. */
  push(bytes: Uint8Array): ChatCompletionChunk[] {
    if (this.done || this.failure) return [];
    const out: ChatCompletionChunk[] = (this.#out = []);
    try {
      this.#sse.feed(bytes, this.#onEvent);
    } catch (e) {
      this.failure = e as InvokeError;
    }
    return out;
  }

  /** Call when the body ended: throws unless [DONE] was seen. */
  end(): ChatCompletionChunk[] {
    if (this.done || this.failure) return [];
    const out: ChatCompletionChunk[] = (this.#out = []);
    try {
      for (const e of this.#sse.end()) this.#onEvent(e.data, e.event);
    } catch (e) {
      this.failure = e as InvokeError;
    }
    if (this.done || this.failure) return out;
    throw new InvokeConnectionError('The Kimi API stream ended before it was complete (no [DONE]); the answer may be cut short.', {
      requestId: this.#requestId,
    });
  }

  readonly #onEvent = (data: string, event: string): void => {
    if (this.done) return;
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      if (event === 'error') throw this.#error({ message: data });
      throw new InvokeError(this.#redact(`The Kimi API sent a stream event that is not JSON: ${data.slice(0, 80)}`), { requestId: this.#requestId });
    }
    const chunk = value as ChatCompletionChunk & { error?: unknown };
    if (chunk.error !== undefined && chunk.error !== null) throw this.#error(chunk.error);
    if (event === 'error') throw this.#error(chunk);
    normalizeChunkUsage(chunk);
    this.#out.push(chunk);
  };

  #error(obj: unknown): InvokeError {
    const error = typeof obj === 'object' && obj !== null ? { ...(obj as Record<string, unknown>) } : { message: String(obj) };
    if (typeof error.message === 'string') error.message = this.#redact(error.message);
    return errorFromStreamObject(error, this.#requestId);
  }
}

/**
 * Moonshot puts the final usage in `choices[i].usage` of the finishing chunk; OpenAI-style servers
 * (and Moonshot with stream_options.include_usage) put it at top level. Expose it as `chunk.usage`.
 */
export function normalizeChunkUsage(chunk: ChatCompletionChunk): void {
  if (chunk.usage) {
    normalizeUsage(chunk.usage);
    return;
  }
  const choices = chunk.choices;
  if (!choices) return;
  for (let i = 0; i < choices.length; i++) {
    const usage = choices[i]!.usage;
    if (usage) {
      chunk.usage = normalizeUsage(usage);
      return;
    }
  }
}

/** Keeps both spellings of cached tokens and fills the Moonshot one from the OpenAI one. */
export function normalizeUsage(usage: Usage): Usage {
  if (usage.cached_tokens === undefined) {
    const cached = usage.prompt_tokens_details?.cached_tokens;
    if (typeof cached === 'number') usage.cached_tokens = cached;
  }
  return usage;
}

// The AsyncIterable a streamed chat returns. Hand-written rather than an async generator: a
// generator's every `yield` costs extra promise turns, and a stream has tens of thousands of chunks.
// Chunks decoded from one network read are queued and handed out with an already-resolved promise.
import type { ClientLog } from './log';
import { ChunkDecoder } from './stream';
import { transportError, type HttpRequest, type HttpResponse } from './transport';
import type { ChatCompletionChunk } from './types';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });


/** What a stream needs of the request layer (./requests.ts implements it; declared here so the two do not import each other). */
export interface StreamRequests {
  readonly log: ClientLog;
  openStream(req: HttpRequest, started: number, attempt: number): Promise<{ res: HttpResponse; requestId: string | undefined }>;
  retryOrThrow(e: unknown, req: HttpRequest, attempt: number, started: number, accepted: boolean): Promise<unknown>;
  streamComplete(req: HttpRequest, started: number): void;
  streamStopped(req: HttpRequest, started: number): void;
  streamFailed(req: HttpRequest, started: number, err: Error): void;
}
export class ChatStream implements AsyncIterableIterator<ChatCompletionChunk> {
  readonly #requests: StreamRequests;
  readonly #req: HttpRequest;
  #queue: ChatCompletionChunk[] = [];
  #head = 0;
  #res: HttpResponse | undefined;
  #body: AsyncIterator<Uint8Array> | undefined;
  #decoder: ChunkDecoder | undefined;
  #attempt = 0;
  #started = 0;
  /** A chunk was handed out. */
  #yielded = false;
  /** This attempt got a 2xx status: the server took the request on, so it is never sent again. */
  #accepted = false;
  /** The body ended after [DONE]; hand out what is queued, then finish. */
  #ended = false;
  #finished = false;

  constructor(requests: StreamRequests, req: HttpRequest) {
    this.#requests = requests;
    this.#req = req;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (this.#head < this.#queue.length) {
      this.#yielded = true;
      return Promise.resolve({ value: this.#queue[this.#head++]!, done: false });
    }
    return this.#fill();
  }

  /** The consumer stopped (break, return): end the response, which closes its socket. */
  return(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (!this.#finished && this.#res) this.#requests.streamStopped(this.#req, this.#started);
    this.#finish();
    return Promise.resolve(DONE);
  }

  async #fill(): Promise<IteratorResult<ChatCompletionChunk>> {
    const req = this.#req;
    for (;;) {
      if (this.#finished) return DONE;
      try {
        const decoder = this.#decoder;
        if (decoder?.failure) throw decoder.failure;
        if (this.#ended) {
          this.#requests.streamComplete(req, this.#started);
          this.#finished = true;
          this.#closeResponse(true);
          return DONE;
        }
        if (!this.#body || !decoder) {
          await this.#open();
          continue;
        }
        const read = await this.#body.next();
        if (read.done) {
          this.#queue = decoder.end();
          this.#ended = true;
        } else {
          this.#queue = decoder.push(read.value);
          // [DONE] completes the answer even if the response itself has not ended yet.
          if (decoder.done) this.#ended = true;
        }
        this.#head = 0;
        if (this.#queue.length > 0) {
          this.#yielded = true;
          return { value: this.#queue[this.#head++]!, done: false };
        }
      } catch (e) {
        this.#closeResponse();
        if (this.#finished) throw transportError(e, req.signal);
        if (this.#yielded || req.signal?.aborted) {
          const err = transportError(e, req.signal);
          if (req.signal?.aborted) this.#requests.streamStopped(req, this.#started);
          else this.#requests.streamFailed(req, this.#started, err);
          this.#finished = true;
          throw err;
        }
        try {
          // After a 2xx status (#accepted) a POST is not sent again; retryOrThrow logs why.
          await this.#requests.retryOrThrow(e, req, this.#attempt++, this.#started, this.#accepted);
        } catch (final) {
          this.#finished = true;
          throw final;
        }
      }
    }
  }

  async #open(): Promise<void> {
    this.#started = performance.now();
    this.#accepted = false;
    const { res, requestId } = await this.#requests.openStream(this.#req, this.#started, this.#attempt);
    this.#accepted = true;
    this.#res = res;
    this.#body = (res.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    this.#decoder = new ChunkDecoder(requestId, (t) => this.#requests.log.redact(t));
  }

  /** `complete`: the answer arrived whole, so the rest of the response is read (not cut) to keep the connection. */
  #closeResponse(complete = false): void {
    const res = this.#res;
    const body = this.#body;
    this.#res = undefined;
    this.#body = undefined;
    this.#decoder = undefined;
    this.#queue = [];
    this.#head = 0;
    if (!res || res.body.destroyed || res.body.readableEnded) return;
    if (complete && body) {
      // Normally only the end of the response is left; one that never ends is cut by the idle timeout.
      void (async () => {
        try {
          while (!(await body.next()).done);
        } catch {
          // The answer is already complete.
        }
      })();
    } else {
      res.body.destroy();
    }
  }

  #finish(): void {
    this.#finished = true;
    this.#closeResponse();
  }
}

// One API call = attempts through the transport, with typed errors, retries and debug logging.
import { errorFromResponse, InvokeError, isQuotaError } from './errors';
import type { ClientLog } from './log';
import { abortReason, retryDelayMs, shouldRetry, sleep } from './retry';
import { ChatStream } from './chat-stream';
import { transportError, type HttpRequest, type HttpResponse, type Transport } from './transport';

export class Http {
  constructor(
    readonly transport: Transport,
    readonly log: ClientLog,
    readonly maxRetries: number,
  ) {}

  /** A JSON request; resolves to the parsed body of a 2xx answer. */
  async json<T>(req: HttpRequest): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      try {
        const res = await this.transport.send(req);
        const text = await readText(res, req.signal);
        const requestId = header(res, 'msh-request-id');
        this.#logDone(req, res.statusCode, started, requestId);
        if (res.statusCode >= 400) throw this.#httpError(req, res, text);
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new InvokeError(`The Kimi API answered ${req.method} ${this.#path(req)} with a body that is not JSON.`, {
            status: res.statusCode,
            requestId,
          });
        }
      } catch (e) {
        await this.retryOrThrow(e, req, attempt, started);
      }
    }
  }

  /** A streaming chat request; retried only until its first chunk arrives. */
  stream(req: HttpRequest): ChatStream {
    return new ChatStream(this, { ...req, stream: true });
  }

  /** Sends a streaming request; resolves once a 2xx status arrived, throws the typed error otherwise. */
  async openStream(req: HttpRequest, started: number): Promise<{ res: HttpResponse; requestId: string | undefined }> {
    const res = await this.transport.send(req);
    const requestId = header(res, 'msh-request-id');
    if (res.statusCode >= 400) {
      const text = await readText(res, req.signal);
      this.#logDone(req, res.statusCode, started, requestId);
      throw this.#httpError(req, res, text);
    }
    this.#logDone(req, res.statusCode, started, requestId, 'stream open');
    return { res, requestId };
  }

  streamComplete(req: HttpRequest, started: number): void {
    if (this.log.enabled) this.log.debug(`${req.method} ${this.#path(req)} stream complete in ${ms(started)} ms`);
  }

  /** A stream that failed after handing out chunks: never retried, only logged. */
  streamFailed(req: HttpRequest, started: number, err: Error): void {
    if (this.log.enabled) this.log.debug(`${req.method} ${this.#path(req)} stream failed after ${ms(started)} ms: ${err.name}: ${err.message}`);
  }

  /** After a failed attempt: waits out the backoff when another attempt is worth it, else throws. */
  async retryOrThrow(e: unknown, req: HttpRequest, attempt: number, started: number): Promise<void> {
    if (req.signal?.aborted) throw abortReason(req.signal);
    const err = transportError(e, req.signal);
    if (!(err instanceof InvokeError)) throw err;
    // HTTP errors were logged with their status already; say what happened to the others.
    if (err.status === undefined) this.log.debug(`${req.method} ${this.#path(req)} failed after ${ms(started)} ms: ${err.message}`);
    if (attempt >= this.maxRetries || !shouldRetry(err)) {
      const reason = !shouldRetry(err) ? (isQuotaError(err) ? 'quota' : err.retryable ? 'server asks to wait too long' : 'not retryable') : 'no retries left';
      this.log.debug(`${req.method} ${this.#path(req)}: not retrying (${this.#why(err)}: ${reason}, attempt ${attempt + 1}/${this.maxRetries + 1})`);
      throw err;
    }
    const delay = retryDelayMs(attempt, (err as { retryAfter?: number }).retryAfter);
    this.log.debug(`${req.method} ${this.#path(req)}: retrying in ${delay} ms (${this.#why(err)}, attempt ${attempt + 2}/${this.maxRetries + 1})`);
    await sleep(delay, req.signal);
  }

  #why(err: InvokeError): string {
    return [err.status, err.type, err.status === undefined ? err.name : undefined].filter((x) => x !== undefined).join(' ');
  }

  #httpError(req: HttpRequest, res: HttpResponse, text: string): InvokeError {
    return errorFromResponse(res.statusCode, this.log.redact(text), {
      method: req.method,
      path: this.#path(req),
      requestId: header(res, 'msh-request-id'),
      retryAfterHeader: header(res, 'retry-after'),
    });
  }

  #logDone(req: HttpRequest, status: number, started: number, requestId: string | undefined, note?: string): void {
    if (!this.log.enabled) return;
    const id = requestId ? ` request-id=${requestId}` : '';
    this.log.debug(`${req.method} ${this.#path(req)} → ${status} in ${ms(started)} ms${id}${note ? ` (${note})` : ''}`);
  }

  #path(req: HttpRequest): string {
    return this.transport.basePath + req.path;
  }
}

function ms(started: number): number {
  return Math.round(performance.now() - started);
}

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readText(res: HttpResponse, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await res.body.text();
  } catch (e) {
    throw transportError(e, signal);
  }
}

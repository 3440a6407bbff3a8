// The request layer: one API call = attempts through the wire (./transport.ts), with typed errors,
// retries and logging: one info line per attempt (method, path, status, ms, request id) and per
// retry decision; bodies at debug.
import { errorFromResponse, InvokeError } from './errors';
import type { ClientLog } from './log';
import { abortReason, retryDelayMs, retryVerdict, sleep } from './retry';
import { ChatStream, type StreamRequests } from './chat-stream';
import { transportError, type HttpRequest, type HttpResponse, type Transport } from './transport';

/**
 * After an ambiguous failure of a creating POST: finds what the lost attempt may have created.
 * Resolves to it, or to undefined when it does not exist (then sending again is safe).
 */
export type Recover<T> = (signal: AbortSignal | undefined) => Promise<T | undefined>;

export class Requests implements StreamRequests {
  constructor(
    readonly transport: Transport,
    readonly log: ClientLog,
    readonly maxRetries: number,
  ) {}

  /** A JSON request; resolves to the parsed body of a 2xx answer. */
  async json<T>(req: HttpRequest, recover?: Recover<T>): Promise<T> {
    this.log.debugBody(`${req.method} ${this.#path(req)} request:`, req.body);
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      let accepted = false;
      try {
        const res = await this.transport.send(req);
        accepted = isSuccess(res.statusCode);
        const text = await readText(res, req.signal);
        const requestId = header(res, 'msh-request-id');
        this.#logDone(req, res.statusCode, started, requestId);
        if (res.statusCode >= 400) throw this.#httpError(req, res, text);
        this.log.debugBody(`${req.method} ${this.#path(req)} answer:`, text);
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new InvokeError(`The Kimi API answered ${req.method} ${this.#path(req)} with a body that is not JSON.`, {
            status: res.statusCode,
            requestId,
          });
        }
      } catch (e) {
        const found = await this.retryOrThrow(e, req, attempt, started, accepted, recover);
        if (found !== undefined) return found;
      }
    }
  }

  /** A streaming chat request; re-sent only while the server provably has not taken it (see retry.ts). */
  stream(req: HttpRequest): ChatStream {
    return new ChatStream(this, { ...req, stream: true });
  }

  /** Sends a streaming request; resolves once a 2xx status arrived, throws the typed error otherwise. */
  async openStream(req: HttpRequest, started: number, attempt: number): Promise<{ res: HttpResponse; requestId: string | undefined }> {
    if (attempt === 0) this.log.debugBody(`${req.method} ${this.#path(req)} request:`, req.body);
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

  /** The consumer stopped reading (Stop, break): nothing failed. */
  streamStopped(req: HttpRequest, started: number): void {
    if (this.log.enabled) this.log.debug(`${req.method} ${this.#path(req)} stream stopped by the caller after ${ms(started)} ms`);
  }

  /** A stream that failed after its status arrived: never re-sent, only logged. */
  streamFailed(req: HttpRequest, started: number, err: Error): void {
    if (this.log.enabled) this.log.info(`${req.method} ${this.#path(req)} stream failed after ${ms(started)} ms: ${err.name}: ${err.message}`);
  }

  /**
   * After a failed attempt: waits out the backoff when another attempt is allowed (resolves to
   * undefined), resolves to what `recover` found after an ambiguous failure, else throws.
   * `accepted`: a 2xx status had arrived for this attempt.
   */
  async retryOrThrow<T>(e: unknown, req: HttpRequest, attempt: number, started: number, accepted: boolean, recover?: Recover<T>): Promise<T | undefined> {
    if (req.signal?.aborted) throw abortReason(req.signal);
    const err = transportError(e, req.signal);
    if (!(err instanceof InvokeError)) throw err;
    const what = `${req.method} ${this.#path(req)}`;
    // HTTP errors were logged with their status already; say what happened to the others.
    if (err.status === undefined && !accepted) this.log.info(`${what} failed after ${ms(started)} ms: ${err.message}`);
    else if (err.status === undefined) this.log.info(`${what} failed after ${ms(started)} ms, after its status: ${err.message}`);
    const verdict = retryVerdict(err, { method: req.method, idempotent: req.idempotent, accepted });
    const tries = `attempt ${attempt + 1}/${this.maxRetries + 1}`;
    if (!verdict.retry && verdict.ambiguous && recover) return this.#recover(err, req, attempt, recover, verdict.why);
    if (!verdict.retry || attempt >= this.maxRetries) {
      const reason = verdict.retry ? 'no retries left' : verdict.why;
      this.log.info(`${what}: not retrying (${this.#why(err)}: ${reason}, ${tries})`);
      throw err;
    }
    const delay = retryDelayMs(attempt, (err as { retryAfter?: number }).retryAfter);
    this.log.info(`${what}: retrying in ${delay} ms (${this.#why(err)}: ${verdict.why}, attempt ${attempt + 2}/${this.maxRetries + 1})`);
    await sleep(delay, req.signal);
    return undefined;
  }

  /** Looks for what an ambiguous attempt may have created before anything is sent again. */
  async #recover<T>(err: InvokeError, req: HttpRequest, attempt: number, recover: Recover<T>, why: string): Promise<T | undefined> {
    const what = `${req.method} ${this.#path(req)}`;
    this.log.info(`${what}: not re-sent blindly (${this.#why(err)}: ${why}); looking it up first`);
    let found: T | undefined;
    try {
      found = await recover(req.signal);
    } catch (lookupError) {
      if (req.signal?.aborted) throw abortReason(req.signal);
      this.log.info(`${what}: the lookup failed too (${lookupError instanceof Error ? lookupError.message : String(lookupError)}), not retrying`);
      throw err;
    }
    if (found !== undefined) {
      this.log.info(`${what}: the earlier attempt had succeeded; using what it created`);
      return found;
    }
    if (attempt >= this.maxRetries) {
      this.log.info(`${what}: not found, and no retries left (attempt ${attempt + 1}/${this.maxRetries + 1})`);
      throw err;
    }
    const delay = retryDelayMs(attempt);
    this.log.info(`${what}: not found, so it was not created; retrying in ${delay} ms (attempt ${attempt + 2}/${this.maxRetries + 1})`);
    await sleep(delay, req.signal);
    return undefined;
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

  /** The request line: at info, so the default log level shows one per attempt. */
  #logDone(req: HttpRequest, status: number, started: number, requestId: string | undefined, note?: string): void {
    if (!this.log.enabled) return;
    const id = requestId ? ` request-id=${requestId}` : '';
    this.log.info(`${req.method} ${this.#path(req)} → ${status} in ${ms(started)} ms${id}${note ? ` (${note})` : ''}`);
  }

  #path(req: HttpRequest): string {
    return this.transport.basePath + req.path;
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
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

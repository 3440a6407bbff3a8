// Retry policy: which failures are worth another attempt, and how long to wait before it.
//
// Per method (one POST can be billed, so a POST is re-sent only when it cannot have been acted on):
// - GET, PUT, DELETE: idempotent (PUT sets absolute values; a repeated DELETE at worst answers 404,
//   which the cache commands treat as "gone"). Retried after any connection error or timeout, a 429
//   other than quota, and 500/502/503/504.
// - POST: retried only when the request provably did not reach the server (connection refused, DNS
//   failure, connect timeout, a reset before any response byte) or the server said to come back
//   (429 other than quota, 503). Never once a 2xx status arrived (a chat that got its 200 but no
//   chunk yet fails), never after a timeout waiting for the answer or after 500/502/504: the
//   server may have started (and billed) it. Cache and tag creation look the object up instead.
//   A caller may mark a side-effect-free POST (the token estimate) idempotent.
import { InvokeError, isQuotaError } from './errors';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A server asking for a longer wait than this is not waited for: the error goes to the caller. */
const MAX_RETRY_AFTER_S = 60;

/**
 * Socket errors that happen before the server can have the whole request. A reset (RST) is what a
 * peer sends when it closes with our bytes unread; an orderly close ("other side closed") or silence
 * may come after it read and acted on them, so those are not here.
 */
const NOT_DELIVERED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNRESET',
  'EPIPE',
]);

/** What is known about one failed attempt, besides its error. */
export interface AttemptInfo {
  method: string;
  /** The caller says repeating the request has no further effect. */
  idempotent?: boolean;
  /** A 2xx status line had arrived: the server took the request on (errors after it are in-band or a cut). */
  accepted: boolean;
}

/** `ambiguous`: refused only because the server may have acted; a lookup can tell. */
export interface RetryVerdict {
  retry: boolean;
  why: string;
  ambiguous?: boolean;
}

/** Whether a failed attempt may be sent again, and why (the log says it either way). */
export function retryVerdict(err: unknown, attempt: AttemptInfo): RetryVerdict {
  if (!(err instanceof InvokeError)) return { retry: false, why: 'not an API error' };
  if (isQuotaError(err)) return { retry: false, why: 'quota or balance used up' };
  if (!err.retryable) return { retry: false, why: 'not retryable' };
  const retryAfter = (err as { retryAfter?: number }).retryAfter;
  if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_S) return { retry: false, why: `server asks to wait ${retryAfter} s` };
  if (attempt.method !== 'POST') return { retry: true, why: `a ${attempt.method} is safe to repeat` };
  if (attempt.idempotent) return { retry: true, why: 'safe to repeat (changes nothing)' };
  if (attempt.accepted) return { retry: false, ambiguous: true, why: 'the server had accepted it (2xx headers), it may be answering and billing it' };
  if (err.status === 429) return { retry: true, why: 'the server declined it (429)' };
  if (err.status === 503) return { retry: true, why: 'the server declined it (503)' };
  if (err.status !== undefined) return { retry: false, ambiguous: true, why: `a POST answered ${err.status} may have been acted on` };
  const code = errorCode(err);
  if (code && NOT_DELIVERED_CODES.has(code)) return { retry: true, why: `the request did not reach the server (${code})` };
  return { retry: false, ambiguous: true, why: `the server may have received it (${code ?? err.name})` };
}

/** The socket or undici error code behind a client error, if any. */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Kept for callers that only ask "is this failure transient?" (any method, nothing known yet). */
export function shouldRetry(err: unknown): boolean {
  return retryVerdict(err, { method: 'GET', accepted: false }).retry;
}

/** Exponential backoff with full jitter over the upper half; a server's retryAfter wins when given. */
export function retryDelayMs(attempt: number, retryAfterSeconds?: number, random = Math.random): number {
  if (retryAfterSeconds !== undefined) return Math.round(retryAfterSeconds * 1000);
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The error a caller's abort produces: the signal's own reason when it is an Error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}

/** Waits `ms`, rejecting at once if `signal` aborts (also if it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

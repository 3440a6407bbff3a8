// Retry policy: which failures are worth another attempt, and how long to wait before it.
import { InvokeError, isQuotaError } from './errors';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A server asking for a longer wait than this is not waited for: the error goes to the caller. */
const MAX_RETRY_AFTER_S = 60;

export function shouldRetry(err: unknown): boolean {
  if (!(err instanceof InvokeError) || isQuotaError(err)) return false;
  if (!err.retryable) return false;
  const retryAfter = (err as { retryAfter?: number }).retryAfter;
  return retryAfter === undefined || retryAfter <= MAX_RETRY_AFTER_S;
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

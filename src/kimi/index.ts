// Public surface of the Kimi API client.
export { KimiClient, DEFAULT_MAX_RETRIES } from './client';
export {
  InvokeError,
  InvokeConnectionError,
  InvokeTimeoutError,
  InvokeServerUnavailableError,
  InvokeRateLimitError,
  InvokeAuthorizationError,
  InvokeBadRequestError,
  isQuotaError,
  isAbortError,
  QUOTA_ERROR_TYPE,
} from './errors';
export { redact } from './log';
export { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, normalizeBaseUrl } from './transport';
export { SseParser, type SseEvent } from './sse';
export * from './types';

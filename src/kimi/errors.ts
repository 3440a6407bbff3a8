// The client's error family. Every failure the client throws (except a caller's own abort) is an
// InvokeError, so callers can branch on the class and read status / type / requestId / retryable.

export interface InvokeErrorInit {
  status?: number;
  type?: string;
  requestId?: string;
  retryable?: boolean;
  cause?: unknown;
}

export class InvokeError extends Error {
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** The API's `error.type` string (or `url.not_found` for the platform's unknown-route body). */
  readonly type?: string;
  /** The `Msh-Request-Id` header, to quote to Moonshot support. */
  readonly requestId?: string;
  readonly retryable: boolean;

  constructor(message: string, init: InvokeErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    if (init.status !== undefined) this.status = init.status;
    if (init.type !== undefined) this.type = init.type;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    this.retryable = init.retryable ?? false;
  }
}

/** The server could not be reached, or the connection broke (including a stream cut before [DONE]). */
export class InvokeConnectionError extends InvokeError {
  constructor(message: string, init: InvokeErrorInit = {}) {
    super(message, { retryable: true, ...init });
  }
}

/** No first byte, or no further byte, within the timeout. */
export class InvokeTimeoutError extends InvokeConnectionError {}

/** 5xx, or an in-band server error. `retryAfter` is in seconds when the server said so (503 Retry-After). */
export class InvokeServerUnavailableError extends InvokeError {
  readonly retryAfter?: number;
  constructor(message: string, init: InvokeErrorInit & { retryAfter?: number } = {}) {
    super(message, init);
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }
}

/** 429 (rate limit, overload or quota). `retryAfter` is in seconds when the server said so. */
export class InvokeRateLimitError extends InvokeError {
  readonly retryAfter?: number;
  constructor(message: string, init: InvokeErrorInit & { retryAfter?: number } = {}) {
    super(message, init);
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }
}

/** 401/403: a wrong key, a key for the other platform, or no permission. */
export class InvokeAuthorizationError extends InvokeError {}

/** Other 4xx: the request itself is wrong (bad parameter, unknown model, too long, unknown route). */
export class InvokeBadRequestError extends InvokeError {}

const QUOTA_ERROR_TYPE = 'exceeded_current_quota_error';

/** True for balance/quota errors, which are never worth retrying. */
export function isQuotaError(e: unknown): boolean {
  return e instanceof InvokeError && e.type === QUOTA_ERROR_TYPE;
}

/** True when the caller aborted (the client rethrows the signal's reason, an AbortError by default). */
/** Cancellation by type: an AbortSignal's error (DOMException or undici's) or Node's ABORT_ERR. */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || (e as { code?: unknown }).code === 'ABORT_ERR');
}

const RETRY_AFTER_TEXT = /try again (?:after|in) (\d+(?:\.\d+)?)\s*(?:s\b|sec|second)/i;

/** Seconds from a Retry-After header (seconds or HTTP date) or from "try again after N seconds" text. */
export function parseRetryAfter(header: string | undefined, message: string | undefined, now = Date.now()): number | undefined {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, (date - now) / 1000);
  }
  const m = message ? RETRY_AFTER_TEXT.exec(message) : null;
  return m ? Number(m[1]) : undefined;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

export interface ErrorContext {
  method: string;
  path: string;
  requestId?: string;
  retryAfterHeader?: string;
}

/**
 * Maps an HTTP error response to a typed error. `body` is the raw text: normally
 * {"error":{"message","type"}}, but the platform answers unknown routes with
 * {"code":5,"error":"url.not_found",...} (error is a string there), and gateways may send HTML.
 */
export function errorFromResponse(status: number, body: string, ctx: ErrorContext): InvokeError {
  const parsed = parseErrorBody(body);
  const requestId = ctx.requestId;
  if (parsed.kind === 'urlNotFound') {
    const message =
      `The Kimi API has no route ${parsed.method ?? ctx.method} ${parsed.url ?? ctx.path} (${parsed.type}). ` +
      'Check the base URL: it should end in /v1, e.g. https://api.moonshot.cn/v1.';
    return new InvokeBadRequestError(message, { status, type: parsed.type, requestId });
  }
  const type = parsed.type;
  const message = parsed.message || `HTTP ${status} from ${ctx.method} ${ctx.path}`;
  if (status === 401 || status === 403) {
    return new InvokeAuthorizationError(message, { status, type, requestId });
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(ctx.retryAfterHeader, parsed.message);
    return new InvokeRateLimitError(message, { status, type, requestId, retryable: type !== QUOTA_ERROR_TYPE, retryAfter });
  }
  if (status >= 500) {
    const retryAfter = parseRetryAfter(ctx.retryAfterHeader, undefined);
    return new InvokeServerUnavailableError(message, { status, type, requestId, retryable: RETRYABLE_STATUS.has(status), retryAfter });
  }
  if (status >= 400) return new InvokeBadRequestError(message, { status, type, requestId });
  return new InvokeError(message, { status, type, requestId });
}

/** Maps an error object that arrived inside a stream (no HTTP status to go by) by its type. */
export function errorFromStreamObject(error: unknown, requestId: string | undefined): InvokeError {
  const obj = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Record<string, unknown>;
  const type = typeof obj.type === 'string' ? obj.type : undefined;
  const message = typeof obj.message === 'string' && obj.message ? obj.message : `Stream error${type ? ` (${type})` : ''}`;
  const code = typeof obj.code === 'number' ? obj.code : undefined;
  const init = { type, requestId, ...(code !== undefined && code >= 400 && code < 600 ? { status: code } : {}) };
  switch (type) {
    case 'rate_limit_reached_error':
    case 'engine_overloaded_error':
      return new InvokeRateLimitError(message, { ...init, retryable: true, retryAfter: parseRetryAfter(undefined, message) });
    case QUOTA_ERROR_TYPE:
      return new InvokeRateLimitError(message, init);
    case 'invalid_authentication_error':
    case 'incorrect_api_key_error':
    case 'permission_denied_error':
      return new InvokeAuthorizationError(message, init);
    case 'invalid_request_error':
    case 'content_filter':
    case 'resource_not_found_error':
      return new InvokeBadRequestError(message, init);
    case 'server_error':
    case 'unexpected_output':
    case 'internal_error':
    case 'service_unavailable_error':
      // Transient on the server's side: worth another attempt if no chunk was handed out yet.
      return new InvokeServerUnavailableError(message, { ...init, retryable: true });
    default:
      return new InvokeError(message, init);
  }
}

type ParsedErrorBody =
  | { kind: 'api'; type?: string; message?: string }
  | { kind: 'urlNotFound'; type: string; method?: string; url?: string };

function parseErrorBody(body: string): ParsedErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // Not JSON (a gateway page, say): keep a short, single-line excerpt as the message.
    const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return { kind: 'api', message: text ? text.slice(0, 200) : undefined };
  }
  if (typeof json !== 'object' || json === null) return { kind: 'api' };
  const parsed = json as Record<string, unknown>;
  if (typeof parsed.error === 'string') {
    return { kind: 'urlNotFound', type: parsed.error, method: str(parsed.method), url: str(parsed.url) };
  }
  if (typeof parsed.error === 'object' && parsed.error !== null) {
    const error = parsed.error as Record<string, unknown>;
    return { kind: 'api', type: str(error.type), message: str(error.message) };
  }
  return { kind: 'api', type: str(parsed.type), message: str(parsed.message) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

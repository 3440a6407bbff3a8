// The wire under the request layer (./requests.ts): one keep-alive undici dispatcher per client,
// bound to the base URL's origin; sends one attempt, no retries or logging.
// undici is imported on the first request (never at module load) so that activating the extension
// does not pay for parsing it; the extension build points this import at dist/undici.js.
import type { Dispatcher } from 'undici';
import { InvokeConnectionError, InvokeError, InvokeTimeoutError } from './errors';
import { resolveProxy } from './proxy';
import { abortReason } from './retry';

type Undici = typeof import('undici');

let undiciModule: Promise<Undici> | undefined;

function loadUndici(): Promise<Undici> {
  // A CommonJS bundle imported from ESM shows up as `default`; the package itself has named exports too.
  undiciModule ??= import('undici').then(
    (m) => ((m as unknown as { default?: Undici }).default ?? m) as Undici,
    (e: unknown) => {
      undiciModule = undefined;
      // Not a connection problem, so not retried: the install is broken.
      throw new InvokeError(`Could not load the HTTP library (undici): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    },
  );
  return undiciModule;
}

export const DEFAULT_BASE_URL = 'https://api.moonshot.cn/v1';
const DEFAULT_TIMEOUT_MS = 60_000;
const KEEP_ALIVE_MS = 30_000;

/** Accepts 'https://host', 'https://host/', 'https://host/v1/' and returns 'https://host/v1'. */
export function normalizeBaseUrl(raw: string | undefined): string {
  const text = (raw ?? '').trim() || DEFAULT_BASE_URL;
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Unsupported base URL protocol: ${url.protocol}`);
  let path = url.pathname.replace(/\/+$/, '');
  if (!/\/v\d+$/.test(path)) path += '/v1';
  return `${url.origin}${path}`;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, starting with '/'. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  stream?: boolean;
  /** Sending it twice has no further effect (see retry.ts); GET, PUT and DELETE are by their method. */
  idempotent?: boolean;
}

export type HttpResponse = Dispatcher.ResponseData;

export interface TransportOptions {
  apiKey: string;
  baseUrl?: string;
  proxy?: string;
  timeoutMs?: number;
}

export class Transport {
  readonly baseUrl: string;
  /** The base URL's path ('/v1'), prefixed to request paths in logs. */
  readonly basePath: string;
  readonly timeoutMs: number;
  readonly #origin: URL;
  readonly #authorization: string;
  #proxyOption: string | undefined;
  #dispatcher: Dispatcher | undefined;

  constructor(o: TransportOptions) {
    this.baseUrl = normalizeBaseUrl(o.baseUrl);
    this.#origin = new URL(this.baseUrl);
    this.basePath = this.#origin.pathname;
    this.timeoutMs = o.timeoutMs && o.timeoutMs > 0 ? o.timeoutMs : DEFAULT_TIMEOUT_MS;
    this.#authorization = `Bearer ${o.apiKey}`;
    this.#proxyOption = o.proxy;
  }

  /** The proxy requests go through, or undefined for a direct connection. */
  get proxy(): string | undefined {
    return resolveProxy(this.#origin, this.#proxyOption);
  }

  /** `undefined` falls back to the environment (HTTPS_PROXY / HTTP_PROXY / NO_PROXY); '' forces direct. */
  setProxy(url: string | undefined): void {
    if (url === this.#proxyOption) return;
    this.#proxyOption = url;
    const old = this.#dispatcher;
    this.#dispatcher = undefined;
    // Requests in flight keep their connections; close() waits for them.
    void old?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const dispatcher = this.#dispatcher;
    this.#dispatcher = undefined;
    await dispatcher?.close();
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    if (req.signal?.aborted) throw abortReason(req.signal);
    const undici = await loadUndici();
    const dispatcher = this.#dispatcher ?? (this.#dispatcher = this.#createDispatcher(undici));
    const timeout = req.timeoutMs && req.timeoutMs > 0 ? req.timeoutMs : this.timeoutMs;
    const headers: Record<string, string> = {
      accept: req.stream ? 'text/event-stream' : 'application/json',
      'user-agent': 'kimi-vscode',
      ...req.headers,
      // Set last so no caller header replaces it; only ever sent to this client's own origin (undici
      // does not follow redirects here, so it cannot leak to another host).
      authorization: this.#authorization,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    try {
      return await undici.request(this.#url(req), {
        method: req.method,
        headers,
        body,
        signal: req.signal,
        dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (e) {
      throw transportError(e, req.signal);
    }
  }

  #url(req: HttpRequest): string {
    let url = this.baseUrl + req.path;
    if (req.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query)) if (v !== undefined) q.append(k, String(v));
      const s = q.toString();
      if (s) url += `?${s}`;
    }
    return url;
  }

  #createDispatcher(undici: Undici): Dispatcher {
    const proxy = this.proxy;
    const connect = { timeout: Math.min(this.timeoutMs, 30_000) };
    if (proxy) {
      return new undici.ProxyAgent({ uri: proxy, keepAliveTimeout: KEEP_ALIVE_MS, connect, proxyTls: connect, requestTls: connect });
    }
    return new undici.Pool(this.#origin.origin, { keepAliveTimeout: KEEP_ALIVE_MS, connect });
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
 * Turns anything undici (or the socket) throws into the client's errors. A caller's abort is
 * passed through as the signal's reason, so callers can tell "stopped" from "failed".
 */
export function transportError(e: unknown, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return abortReason(signal);
  if (e instanceof InvokeError) return e;
  const code = (e as { code?: string } | undefined)?.code;
  const detail = e instanceof Error ? e.message : String(e);
  if (code && TIMEOUT_CODES.has(code)) {
    const what = code === 'UND_ERR_BODY_TIMEOUT' ? 'no data arrived for too long' : code === 'UND_ERR_HEADERS_TIMEOUT' ? 'no response arrived in time' : 'could not connect in time';
    return new InvokeTimeoutError(`The Kimi API timed out: ${what}.`, { cause: e });
  }
  const proxyStatus = /Proxy response \((\d{3})\)/.exec(detail)?.[1];
  if (proxyStatus) {
    // The proxy refused the tunnel (407: wrong or missing proxy credentials); retrying will not help.
    const why = proxyStatus === '407' ? 'it needs other credentials (407)' : `it answered ${proxyStatus}`;
    return new InvokeConnectionError(`The proxy refused to connect to the Kimi API: ${why}. Check the proxy setting.`, { cause: e, retryable: false });
  }
  return new InvokeConnectionError(`Could not reach the Kimi API: ${detail}${code ? ` (${code})` : ''}.`, { cause: e });
}

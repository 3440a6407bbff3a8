// A Moonshot-compatible test server on 127.0.0.1: routing, auth, request recording and the
// request-level faults. Each concern lives in its own module next to this one.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CacheTag, ContextCache } from '../../src/kimi/types';
import { getBalance } from './balance';
import { cachingUnavailableReply, createCache, deleteCache, getCache, listCaches, updateCache } from './caches';
import { chatCompletions } from './chat';
import type { Handler, JsonReply, RequestContext } from './context';
import * as control from './control';
import type { Fault } from './faults';
import { ApiError, errorBody, JSON_TYPE, parseJson, readBody, sendJson, urlNotFoundBody } from './http';
import { getModel, listModels } from './models-route';
import { ServerState, type RecordedRequest, type ServerOptions } from './state';
import { createTag, deleteTag, getTag, getTagContent, listTags } from './tags';
import { estimateTokenCount } from './tokens';
import { isGone, pause } from './wire';

export { answerFor, estimateTokens } from './answers';
export type { Fault } from './faults';
export type { RecordedRequest } from './state';

export interface MockServerOptions {
  port?: number;
  /** Keys accepted as `Authorization: Bearer <key>`; default ['sk-test-key']. */
  apiKeys?: string[];
  /** How long a created or updated cache stays pending before it is ready; default 300 ms. */
  cacheReadyAfterMs?: number;
  /** Pause between streamed chunks; default 0. */
  chunkDelayMs?: number;
  /** List only the 2026 models (kimi-k3, kimi-k2.7-code*, kimi-k2.6); older ids answer 404. Default false. */
  currentModelsOnly?: boolean;
}

export interface MockServer {
  /** 'http://127.0.0.1:PORT/v1' */
  url: string;
  port: number;
  close(): Promise<void>;
  fault(f: Fault): void;
  /** Forgets caches, tags, faults and recorded requests. */
  reset(): void;
  requests: RecordedRequest[];
  caches: Map<string, ContextCache>;
  tags: Map<string, CacheTag>;
  /** The live server state (balance and options may be changed by tests). */
  state: ServerState;
}

export const TEST_API_KEY = 'sk-test-key';

const MAX_RECORDED = 10_000;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** Control routes need no key and are not recorded. */
  control?: boolean;
}

const SEGMENT = '([^/]+)';
const route = (method: string, path: string, handler: Handler, isControl = false): Route => ({
  method,
  pattern: new RegExp(`^${path.replaceAll('{}', SEGMENT)}$`),
  handler,
  control: isControl,
});

const ROUTES: Route[] = [
  route('GET', '/v1/models', listModels),
  route('GET', '/v1/models/{}', getModel),
  route('POST', '/v1/chat/completions', chatCompletions),
  route('POST', '/v1/tokenizers/estimate-token-count', estimateTokenCount),
  route('GET', '/v1/users/me/balance', getBalance),
  route('POST', '/v1/caching', createCache),
  route('GET', '/v1/caching', listCaches),
  route('POST', '/v1/caching/refs/tags', createTag),
  route('GET', '/v1/caching/refs/tags', listTags),
  route('GET', '/v1/caching/refs/tags/{}/content', getTagContent),
  route('GET', '/v1/caching/refs/tags/{}', getTag),
  route('DELETE', '/v1/caching/refs/tags/{}', deleteTag),
  route('GET', '/v1/caching/{}', getCache),
  route('PUT', '/v1/caching/{}', updateCache),
  route('DELETE', '/v1/caching/{}', deleteCache),
  route('POST', '/__mock/faults', control.addFault, true),
  route('POST', '/__mock/reset', control.reset, true),
  route('GET', '/__mock/requests', control.requests, true),
  route('GET', '/__mock/state', control.state, true),
  route('POST', '/__mock/models', control.setModels, true),
];

function findRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (match) {
      try {
        return { route: candidate, params: match.slice(1).map((p) => decodeURIComponent(p)) };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function authorized(req: IncomingMessage, keys: readonly string[]): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match !== null && keys.includes(match[1].trim());
}

const STATUS_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_authentication_error',
  403: 'permission_denied_error',
  404: 'resource_not_found_error',
  429: 'rate_limit_reached_error',
};

const STATUS_MESSAGES: Record<number, string> = {
  401: 'Invalid Authentication',
  429: "We're receiving too many requests at the moment. Please wait a moment and try again.",
};

/** Acts out a request-level fault. Returns true when the response has been dealt with. */
async function requestFault(fault: Fault, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<boolean> {
  switch (fault.kind) {
    case 'slowFirstByte':
      return !(await pause(res, fault.delayMs));
    case 'status': {
      const extra: Record<string, string> = { ...headers };
      if (fault.retryAfter !== undefined) extra['Retry-After'] = String(fault.retryAfter);
      if (fault.rawBody !== undefined) {
        res.writeHead(fault.status, { ...extra, 'Content-Type': 'text/html; charset=utf-8' });
        res.end(fault.rawBody);
        return true;
      }
      const type = fault.type ?? STATUS_TYPES[fault.status] ?? (fault.status >= 500 ? 'server_error' : 'invalid_request_error');
      const message = fault.message ?? STATUS_MESSAGES[fault.status] ?? `The test server was told to fail with ${fault.status}`;
      await sendJson(res, fault.status, errorBody(type, message), extra);
      return true;
    }
    case 'urlNotFound':
      await sendJson(res, 404, urlNotFoundBody(req), headers);
      return true;
    default:
      return false;
  }
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const baseHeaders = { 'Msh-Request-Id': requestId };
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const raw = await readBody(req);
  const found = findRoute(method, url.pathname);
  if (!found?.route.control) {
    let recorded: unknown = raw.length ? raw.toString('utf8') : undefined;
    try {
      recorded = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      // keep the raw text
    }
    state.requests.push({ method, path: url.pathname + url.search, headers: req.headers, body: recorded, at: Date.now(), requestId });
    // A long manual session (npm run mock) keeps only the newest requests.
    if (state.requests.length > MAX_RECORDED) state.requests.splice(0, state.requests.length - MAX_RECORDED);
  }
  if (!found) {
    await sendJson(res, 404, urlNotFoundBody(req), baseHeaders);
    return;
  }
  if (!found.route.control && !authorized(req, state.options.apiKeys)) {
    await sendJson(res, 401, errorBody('invalid_authentication_error', 'Invalid Authentication'), baseHeaders);
    return;
  }
  const body = parseJson(raw);
  let fault: Fault | undefined;
  if (!found.route.control) {
    const chat = found.route.handler === chatCompletions;
    const stream = chat && typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
    fault = state.faults.take({ path: url.pathname, chat, stream });
    if (fault?.kind === 'cut' && !stream) {
      // Outside a stream a cut is a connection dropped before any response.
      res.socket?.destroy();
      return;
    }
    if (fault && (await requestFault(fault, req, res, baseHeaders))) return;
  }
  const noCaching = url.pathname.startsWith('/v1/caching') ? cachingUnavailableReply(state, req) : undefined;
  if (noCaching) {
    await sendJson(res, noCaching.status ?? 404, noCaching.body, baseHeaders);
    return;
  }
  state.refreshAll();
  const ctx: RequestContext = { req, res, url, params: found.params, body, state, fault, baseHeaders };
  const reply: JsonReply | void = await found.route.handler(ctx);
  if (reply) {
    await sendJson(res, reply.status ?? 200, reply.body, { ...baseHeaders, ...reply.headers }, fault);
  }
}

function sendFailure(res: ServerResponse, err: unknown): void {
  if (isGone(res)) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = err instanceof ApiError ? err.status : 500;
  const body = err instanceof ApiError
    ? errorBody(err.type, err.message)
    : errorBody('server_error', `The test server failed: ${err instanceof Error ? err.message : String(err)}`);
  const headers = err instanceof ApiError ? err.headers : {};
  res.writeHead(status, { ...headers, 'Msh-Request-Id': randomUUID(), 'Content-Type': JSON_TYPE });
  res.end(JSON.stringify(body));
}

export async function startMockServer(o: MockServerOptions = {}): Promise<MockServer> {
  const options: ServerOptions = {
    port: o.port ?? 0,
    apiKeys: o.apiKeys ?? [TEST_API_KEY],
    cacheReadyAfterMs: o.cacheReadyAfterMs ?? 300,
    chunkDelayMs: o.chunkDelayMs ?? 0,
    currentModelsOnly: o.currentModelsOnly ?? false,
  };
  const state = new ServerState(options);
  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    handle(state, req, res).catch((err: unknown) => sendFailure(res, err));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    state,
    requests: state.requests,
    tags: state.tags,
    get caches() {
      state.refreshAll();
      return state.caches;
    },
    fault: (f) => state.faults.add(f),
    reset: () => state.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams in progress and idle keep-alive sockets must not hold the close up.
        server.closeAllConnections();
      }),
  };
}

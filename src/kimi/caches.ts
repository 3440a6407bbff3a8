// Context caches: /v1/caching (explicit caching, moonshot-v1 family only).
import { randomUUID } from 'node:crypto';
import type { Requests } from './requests';
import type { ChatMessage, ContextCache, CreateCacheParams, ListCachesParams, RequestOptions, UpdateCacheParams } from './types';

function defined(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** Metadata key the client adds to a cache it creates, to find it again after an ambiguous failure. */
const CACHE_NONCE_KEY = 'kimi_vscode_nonce';
/** The API's limit on metadata pairs; a cache that already uses them all gets no nonce. */
const MAX_METADATA_PAIRS = 16;

export function createCache(requests: Requests, model: string, messages: ChatMessage[], p: CreateCacheParams = {}): Promise<ContextCache> {
  const metadata = { ...p.metadata };
  const nonce = Object.keys(metadata).length < MAX_METADATA_PAIRS ? randomUUID() : undefined;
  if (nonce) metadata[CACHE_NONCE_KEY] = nonce;
  const body = defined({
    model,
    messages,
    tools: p.tools,
    name: p.name,
    description: p.description,
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    ttl: p.ttl,
    expired_at: p.expiredAt,
    tags: p.tags,
  });
  // A creation that timed out or was cut may have happened: look for its nonce before sending it again.
  const recover = nonce ? (signal: AbortSignal | undefined) => findCacheByNonce(requests, nonce, signal) : undefined;
  return requests.json<ContextCache>({ method: 'POST', path: '/caching', body, signal: p.signal, timeoutMs: p.timeoutMs }, recover);
}

/** The cache carrying `nonce`, if any. Filters by metadata on the server and checks again here, in case a server ignores the filter (newest first). */
async function findCacheByNonce(requests: Requests, nonce: string, signal: AbortSignal | undefined): Promise<ContextCache | undefined> {
  const { data } = await listCaches(requests, { metadata: { [CACHE_NONCE_KEY]: nonce }, order: 'desc', signal });
  return data.find((c) => c.metadata?.[CACHE_NONCE_KEY] === nonce);
}

export async function listCaches(requests: Requests, p: ListCachesParams = {}): Promise<{ object: 'list'; data: ContextCache[] }> {
  const query: Record<string, string | number | undefined> = { limit: p.limit, order: p.order, after: p.after, before: p.before };
  for (const [k, v] of Object.entries(p.metadata ?? {})) query[`metadata[${k}]`] = v;
  const res = await requests.json<{ object?: string; data?: ContextCache[] }>({ method: 'GET', path: '/caching', query, signal: p.signal, timeoutMs: p.timeoutMs });
  return { object: 'list', data: Array.isArray(res.data) ? res.data : [] };
}

export function getCache(requests: Requests, id: string, o: RequestOptions = {}): Promise<ContextCache> {
  return requests.json<ContextCache>({ method: 'GET', path: `/caching/${encodeURIComponent(id)}`, signal: o.signal, timeoutMs: o.timeoutMs });
}

export function updateCache(requests: Requests, id: string, p: UpdateCacheParams): Promise<ContextCache> {
  const body = defined({ metadata: p.metadata, ttl: p.ttl, expired_at: p.expiredAt });
  return requests.json<ContextCache>({ method: 'PUT', path: `/caching/${encodeURIComponent(id)}`, body, signal: p.signal, timeoutMs: p.timeoutMs });
}

export async function deleteCache(requests: Requests, id: string, o: RequestOptions = {}): Promise<{ deleted: boolean; id: string }> {
  const res = await requests.json<{ deleted?: boolean; id?: string }>({ method: 'DELETE', path: `/caching/${encodeURIComponent(id)}`, signal: o.signal, timeoutMs: o.timeoutMs });
  return { ...res, deleted: res.deleted === true, id: res.id ?? id };
}

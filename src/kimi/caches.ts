// Context caches: /v1/caching (explicit caching, moonshot-v1 family only).
import type { Http } from './http';
import type { ChatMessage, ContextCache, CreateCacheParams, ListCachesParams, RequestOptions, UpdateCacheParams } from './types';

function defined(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function createCache(http: Http, model: string, messages: ChatMessage[], p: CreateCacheParams = {}): Promise<ContextCache> {
  const body = defined({
    model,
    messages,
    tools: p.tools,
    name: p.name,
    description: p.description,
    metadata: p.metadata,
    ttl: p.ttl,
    expired_at: p.expiredAt,
    tags: p.tags,
  });
  return http.json<ContextCache>({ method: 'POST', path: '/caching', body, signal: p.signal, timeoutMs: p.timeoutMs });
}

export async function listCaches(http: Http, p: ListCachesParams = {}): Promise<{ object: 'list'; data: ContextCache[] }> {
  const query: Record<string, string | number | undefined> = { limit: p.limit, order: p.order, after: p.after, before: p.before };
  for (const [k, v] of Object.entries(p.metadata ?? {})) query[`metadata[${k}]`] = v;
  const res = await http.json<{ object?: string; data?: ContextCache[] }>({ method: 'GET', path: '/caching', query, signal: p.signal, timeoutMs: p.timeoutMs });
  return { object: 'list', data: Array.isArray(res.data) ? res.data : [] };
}

export function getCache(http: Http, id: string, o: RequestOptions = {}): Promise<ContextCache> {
  return http.json<ContextCache>({ method: 'GET', path: `/caching/${encodeURIComponent(id)}`, signal: o.signal, timeoutMs: o.timeoutMs });
}

export function updateCache(http: Http, id: string, p: UpdateCacheParams): Promise<ContextCache> {
  const body = defined({ metadata: p.metadata, ttl: p.ttl, expired_at: p.expiredAt });
  return http.json<ContextCache>({ method: 'PUT', path: `/caching/${encodeURIComponent(id)}`, body, signal: p.signal, timeoutMs: p.timeoutMs });
}

export async function deleteCache(http: Http, id: string, o: RequestOptions = {}): Promise<{ deleted: boolean; id: string }> {
  const res = await http.json<{ deleted?: boolean; id?: string }>({ method: 'DELETE', path: `/caching/${encodeURIComponent(id)}`, signal: o.signal, timeoutMs: o.timeoutMs });
  return { ...res, deleted: res.deleted === true, id: res.id ?? id };
}

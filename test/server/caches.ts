// /v1/caching: create, list (pagination + metadata filter), get, update (back to pending), delete.
import { randomBytes } from 'node:crypto';
import { CACHE_MODEL_FAMILY, MAX_CACHE_TTL_SECONDS, type ContextCache, type Tool } from '../../src/kimi/types';
import { estimateTextTokens, estimateTokens } from './answers';
import type { IncomingMessage } from 'node:http';
import type { JsonReply, RequestContext } from './context';
import { errorBody, invalidRequest, notFound, nowSeconds, requireObject, urlNotFoundBody } from './http';
import type { ServerState } from './state';
import { bindTag, validTagName } from './tags';
import { listQuery, paginate, requestedExpiry, validateMessages, validateMetadata } from './validate';

/** The largest cache the platform accepts, in tokens. */
const MAX_CACHE_TOKENS = 128 * 1024;

const newCacheId = (): string => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return 'cache-' + Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join('');
};

/**
 * The answer of a platform without explicit caches (state.cachingUnavailable): 404 is the
 * unknown-route body of a removed endpoint, 400 and 403 the usual error shape.
 */
export function cachingUnavailableReply(state: ServerState, req: IncomingMessage): JsonReply | undefined {
  switch (state.cachingUnavailable) {
    case 404:
      return { status: 404, body: urlNotFoundBody(req) };
    case 400:
      return { status: 400, body: errorBody('invalid_request_error', 'Invalid request: context caching is not supported for this account') };
    case 403:
      return { status: 403, body: errorBody('permission_denied_error', 'The API you are accessing is not open') };
    default:
      return undefined;
  }
}

export function findCache(state: ServerState, id: string): ContextCache {
  const cache = state.caches.get(id);
  if (!cache) throw notFound(`Not found the cache ${id} or Permission denied`);
  return state.refresh(cache);
}

function optionalText(body: Record<string, unknown>, field: string, max: number): string {
  const value = body[field] ?? '';
  if (typeof value !== 'string') throw invalidRequest(`${field} must be a string`);
  if (Array.from(value).length > max) throw invalidRequest(`${field} must not be longer than ${max} characters`);
  return value;
}

export function createCache(ctx: RequestContext): JsonReply {
  const body = requireObject(ctx.body);
  if (body.model !== CACHE_MODEL_FAMILY) {
    throw invalidRequest(`model family is invalid: context caches are only available for ${CACHE_MODEL_FAMILY}`);
  }
  const messages = validateMessages(body.messages, { allowCache: false, allowPartial: false });
  const tools = body.tools ?? null;
  if (tools !== null && !Array.isArray(tools)) throw invalidRequest('tools must be a list');
  const tags = body.tags ?? [];
  if (!Array.isArray(tags) || !tags.every(validTagName)) {
    throw invalidRequest('tags must be a list of tag names (a letter first, then letters, digits, _ - or .; at most 128)');
  }
  const name = optionalText(body, 'name', 256);
  const description = optionalText(body, 'description', 512);
  const metadata = validateMetadata(body.metadata) ?? null;
  const expiredAt = requestedExpiry(body) ?? nowSeconds() + MAX_CACHE_TTL_SECONDS;
  const tokens = estimateTokens(messages) + (tools ? estimateTextTokens(JSON.stringify(tools)) : 0);
  if (tokens > MAX_CACHE_TOKENS) throw invalidRequest(`a cache must not be larger than ${MAX_CACHE_TOKENS} tokens`);

  const cache: ContextCache = {
    id: newCacheId(),
    object: 'context_cache_object',
    model: CACHE_MODEL_FAMILY,
    messages,
    tools: tools as Tool[] | null,
    name,
    description,
    metadata,
    status: 'pending',
    tokens,
    created_at: nowSeconds(),
    expired_at: expiredAt,
  };
  ctx.state.addCache(cache);
  for (const tag of tags as string[]) bindTag(ctx.state, tag, cache.id);
  return { body: cache };
}

export function listCaches(ctx: RequestContext): JsonReply {
  const query = listQuery(ctx.url);
  // metadata[key]=value pairs filter: every pair must match.
  const filters: Array<[string, string]> = [];
  for (const [key, value] of ctx.url.searchParams) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match) filters.push([match[1], value]);
  }
  ctx.state.refreshAll();
  const matching = [...ctx.state.caches.values()].filter((cache) =>
    filters.every(([key, value]) => cache.metadata?.[key] === value),
  );
  return { body: { object: 'list', data: paginate(matching, query, (cache) => cache.id) } };
}

export function getCache(ctx: RequestContext): JsonReply {
  return { body: findCache(ctx.state, ctx.params[0]) };
}

export function updateCache(ctx: RequestContext): JsonReply {
  const cache = findCache(ctx.state, ctx.params[0]);
  const body = requireObject(ctx.body ?? {});
  const metadata = validateMetadata(body.metadata);
  const expiredAt = requestedExpiry(body);
  if (metadata !== undefined) cache.metadata = metadata;
  if (expiredAt !== undefined) cache.expired_at = expiredAt;
  ctx.state.markPending(cache);
  return { body: cache };
}

export function deleteCache(ctx: RequestContext): JsonReply {
  const cache = findCache(ctx.state, ctx.params[0]);
  ctx.state.deleteCache(cache.id);
  return { body: { deleted: true, id: cache.id, object: 'context_cache_object.deleted' } };
}

// /v1/caching/refs/tags: bind a stable name to a cache, list, get, get content, delete.
import type { CacheTag } from '../../src/kimi/types';
import type { JsonReply, RequestContext } from './context';
import { invalidRequest, notFound, nowSeconds, requireObject } from './http';
import type { ServerState } from './state';
import { listQuery, paginate } from './validate';

const OWNER = 'mock-user-0000000000';

/** 1–128 characters: a letter first, then letters, digits, `_`, `-` or `.`. */
export function validTagName(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/.test(value);
}

/** Binds (or re-binds) a tag; re-binding moves it to the newest position. */
export function bindTag(state: ServerState, tag: string, cacheId: string): CacheTag {
  const bound: CacheTag = { cache_id: cacheId, created_at: nowSeconds(), object: 'cache_object.tag', owned_by: OWNER, tag };
  state.tags.delete(tag);
  state.tags.set(tag, bound);
  return bound;
}

function findTag(state: ServerState, tag: string): CacheTag {
  const found = state.tags.get(tag);
  if (!found) throw notFound(`Not found the tag ${tag} or Permission denied`);
  return found;
}

export function createTag(ctx: RequestContext): JsonReply {
  const body = requireObject(ctx.body);
  if (!validTagName(body.tag)) {
    throw invalidRequest('tag must be 1 to 128 characters: a letter first, then letters, digits, _ - or .');
  }
  if (typeof body.cache_id !== 'string' || !body.cache_id) throw invalidRequest('cache_id is required');
  if (!ctx.state.caches.has(body.cache_id)) throw notFound(`Not found the cache ${body.cache_id} or Permission denied`);
  return { body: bindTag(ctx.state, body.tag, body.cache_id) };
}

export function listTags(ctx: RequestContext): JsonReply {
  const query = listQuery(ctx.url);
  return { body: { object: 'list', data: paginate([...ctx.state.tags.values()], query, (tag) => tag.tag) } };
}

export function getTag(ctx: RequestContext): JsonReply {
  return { body: findTag(ctx.state, ctx.params[0]) };
}

export function getTagContent(ctx: RequestContext): JsonReply {
  const tag = findTag(ctx.state, ctx.params[0]);
  const cache = ctx.state.caches.get(tag.cache_id);
  if (!cache) throw notFound(`Not found the cache ${tag.cache_id} or Permission denied`);
  return { body: ctx.state.refresh(cache) };
}

/** Succeeds whether or not the tag exists, as the platform does. */
export function deleteTag(ctx: RequestContext): JsonReply {
  ctx.state.tags.delete(ctx.params[0]);
  return { body: { deleted: true, object: 'cache_object.tag.deleted', tag: ctx.params[0] } };
}

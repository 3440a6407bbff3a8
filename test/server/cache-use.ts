// Using a context cache from chat: the leading {role:"cache"} message (by id or tag) and the
// X-Msh-Context-Cache header form; expands cached messages and reports what the cache saved.
import type { IncomingMessage } from 'node:http';
import { MAX_CACHE_TTL_SECONDS, type ChatMessage, type ContextCache } from '../../src/kimi/types';
import { contentText } from './answers';
import { invalidRequest, notFound, nowSeconds } from './http';
import type { ServerState } from './state';

export interface CacheUse {
  /** The messages the model sees: cached ones first, then the request's own. */
  messages: ChatMessage[];
  cachedTokens: number;
  dryRun: boolean;
  headers: Record<string, string>;
}

interface CacheOptions {
  cacheId?: string;
  tag?: string;
  resetTtl?: number;
  dryRun: boolean;
}

function parseResetTtl(text: string): number {
  const ttl = Number(text);
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_CACHE_TTL_SECONDS) {
    throw invalidRequest(`reset_ttl must be an integer between 1 and ${MAX_CACHE_TTL_SECONDS} seconds`);
  }
  return ttl;
}

/** `cache_id=<id>;reset_ttl=<s>;dry_run=1` or `tag=<tag>;...`; no empty parts, no trailing `;`. */
export function parseCacheContent(content: string): CacheOptions {
  const options: CacheOptions = { dryRun: false };
  for (const part of content.split(';')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part.trim() : part.slice(0, eq).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!value) throw invalidRequest(`the cache message has an invalid option ${JSON.stringify(part)}`);
    if (key === 'cache_id') options.cacheId = value;
    else if (key === 'tag') options.tag = value;
    else if (key === 'reset_ttl') options.resetTtl = parseResetTtl(value);
    else if (key === 'dry_run') options.dryRun = value === '1';
    else throw invalidRequest(`the cache message has an unknown option ${key}`);
  }
  if ((options.cacheId === undefined) === (options.tag === undefined)) {
    throw invalidRequest('the cache message needs exactly one of cache_id or tag');
  }
  return options;
}

function resetTtl(state: ServerState, cache: ContextCache, ttl: number | undefined): void {
  if (ttl === undefined) return;
  cache.expired_at = nowSeconds() + ttl;
  // An expired cache comes back to life, through pending again.
  if (cache.status === 'inactive') state.markPending(cache);
}

function hit(state: ServerState, cache: ContextCache): number {
  return state.refresh(cache).status === 'ready' ? (cache.tokens ?? 0) : 0;
}

function cacheHeaders(cache: ContextCache, saved: number): Record<string, string> {
  return {
    'Msh-Context-Cache-Id': cache.id,
    'Msh-Context-Cache-Token-Saved': String(saved),
    'Msh-Context-Cache-Token-Exp': String(cache.expired_at ?? 0),
  };
}

const comparable = (m: ChatMessage): string =>
  JSON.stringify([m.role, contentText(m.content), m.name ?? null, m.tool_calls ?? null, m.tool_call_id ?? null]);

const sameTools = (a: unknown, b: unknown): boolean => {
  const norm = (t: unknown): string => JSON.stringify(Array.isArray(t) && t.length > 0 ? t : null);
  return norm(a) === norm(b);
};

export function applyCache(
  state: ServerState,
  req: IncomingMessage,
  messages: ChatMessage[],
  tools: unknown,
): CacheUse {
  const first = messages[0];
  if (first?.role === 'cache') {
    if (tools !== undefined && tools !== null) {
      throw invalidRequest('tools must not be set when the first message is a cache message');
    }
    const options = parseCacheContent(contentText(first.content));
    let cacheId = options.cacheId;
    if (options.tag !== undefined) {
      const tag = state.tags.get(options.tag);
      if (!tag) throw notFound(`Not found the tag ${options.tag} or Permission denied`);
      cacheId = tag.cache_id;
    }
    const cache = state.caches.get(cacheId ?? '');
    if (!cache) throw notFound(`Not found the cache ${cacheId} or Permission denied`);
    state.refresh(cache);
    resetTtl(state, cache, options.resetTtl);
    const saved = hit(state, cache);
    return {
      messages: [...(cache.messages ?? []), ...messages.slice(1)],
      cachedTokens: saved,
      dryRun: options.dryRun,
      headers: cacheHeaders(cache, saved),
    };
  }
  const headerId = req.headers['x-msh-context-cache'];
  if (typeof headerId === 'string' && headerId) {
    const dryRun = req.headers['x-msh-context-cache-dryrun'] === '1';
    const cache = state.caches.get(headerId);
    // The header form silently misses when the cache is unknown or its messages/tools differ.
    if (!cache) return { messages, cachedTokens: 0, dryRun, headers: {} };
    const ttlHeader = req.headers['x-msh-context-cache-reset-ttl'];
    state.refresh(cache);
    resetTtl(state, cache, typeof ttlHeader === 'string' ? parseResetTtl(ttlHeader) : undefined);
    const cached = cache.messages ?? [];
    const matches = cached.length <= messages.length && sameTools(cache.tools, tools) &&
      cached.every((m, i) => comparable(m) === comparable(messages[i]));
    const saved = matches ? hit(state, cache) : 0;
    return { messages, cachedTokens: saved, dryRun, headers: cacheHeaders(cache, saved) };
  }
  return { messages, cachedTokens: 0, dryRun: false, headers: {} };
}

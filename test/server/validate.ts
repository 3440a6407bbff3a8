// Validation shared by chat, token counting and caches, with the platform's error wording.
import { MAX_CACHE_TTL_SECONDS, type ChatMessage } from '../../src/kimi/types';
import { invalidRequest, isRecord, nowSeconds } from './http';

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'cache']);

export interface MessageRules {
  /** A leading {role:"cache"} message (chat and token counting). */
  allowCache: boolean;
  /** `partial: true` on a last assistant message (chat only; never inside caches). */
  allowPartial: boolean;
}

export function validateMessages(value: unknown, rules: MessageRules): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidRequest('messages must not be empty');
  const toolCallIds = new Set<string>();
  value.forEach((m: unknown, i) => {
    if (!isRecord(m)) throw invalidRequest(`the message at position ${i} must be an object`);
    const role = m.role;
    if (typeof role !== 'string' || !ROLES.has(role) || (role === 'cache' && !rules.allowCache)) {
      throw invalidRequest(`the message at position ${i} has an invalid role ${JSON.stringify(role)}`);
    }
    if (role === 'cache' && i !== 0) {
      throw invalidRequest(`the message at position ${i} with role 'cache' must be the first message`);
    }
    const content = m.content;
    if (isRecord(content)) {
      throw invalidRequest(
        'the `messages.content` field in the request (expected type []object) is illegal, and object is not acceptable',
      );
    }
    const hasToolCalls = Array.isArray(m.tool_calls) && m.tool_calls.length > 0;
    const empty = content === undefined || content === null || content === '' ||
      (Array.isArray(content) && content.length === 0);
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      throw invalidRequest(`the message at position ${i} with role '${role}' has content of an invalid type`);
    }
    if (empty && !(role === 'assistant' && hasToolCalls)) {
      throw invalidRequest(`the message at position ${i} with role '${role}' must not be empty`);
    }
    if (m.partial === true && (!rules.allowPartial || role !== 'assistant' || i !== value.length - 1)) {
      throw invalidRequest(`the message at position ${i}: partial is only allowed on the last assistant message`);
    }
    if (hasToolCalls) {
      for (const call of m.tool_calls as unknown[]) if (isRecord(call) && typeof call.id === 'string') toolCallIds.add(call.id);
    }
    if (role === 'tool' && (typeof m.tool_call_id !== 'string' || !toolCallIds.has(m.tool_call_id))) {
      throw invalidRequest(`tool_call_id ${String(m.tool_call_id)} not found in the messages before position ${i}`);
    }
  });
  return value as ChatMessage[];
}

/** Metadata: a string → string map of at most 16 pairs, keys ≤ 64 and values ≤ 512 characters. */
export function validateMetadata(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalidRequest('metadata must be an object of string keys and string values');
  const entries = Object.entries(value);
  if (entries.length > 16) throw invalidRequest('metadata must not have more than 16 pairs');
  for (const [key, v] of entries) {
    if (typeof v !== 'string') throw invalidRequest(`metadata value for ${key} must be a string`);
    if (Array.from(key).length > 64) throw invalidRequest(`metadata key ${key} is longer than 64 characters`);
    if (Array.from(v).length > 512) throw invalidRequest(`metadata value for ${key} is longer than 512 characters`);
  }
  return { ...(value as Record<string, string>) };
}

/**
 * The expiry a create/update asks for (unix seconds), from `ttl` or `expired_at` (0 means unset),
 * never both, at most one hour ahead. Undefined when neither is given.
 */
export function requestedExpiry(body: Record<string, unknown>): number | undefined {
  const ttl = body.ttl ?? undefined;
  const expiredAt = body.expired_at === 0 ? undefined : (body.expired_at ?? undefined);
  if (ttl !== undefined && expiredAt !== undefined) {
    throw invalidRequest('ttl and expired_at must not be set at the same time');
  }
  const now = nowSeconds();
  if (ttl !== undefined) {
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_CACHE_TTL_SECONDS) {
      throw invalidRequest(`ttl must be an integer between 1 and ${MAX_CACHE_TTL_SECONDS} seconds`);
    }
    return now + ttl;
  }
  if (expiredAt !== undefined) {
    if (typeof expiredAt !== 'number' || !Number.isInteger(expiredAt) || expiredAt <= now) {
      throw invalidRequest('expired_at must be a unix timestamp in the future');
    }
    if (expiredAt > now + MAX_CACHE_TTL_SECONDS) {
      throw invalidRequest(`expired_at must not be more than ${MAX_CACHE_TTL_SECONDS} seconds from now`);
    }
    return expiredAt;
  }
  return undefined;
}

export interface ListQuery {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
  before?: string;
}

export function listQuery(url: URL): ListQuery {
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidRequest('limit must be an integer between 1 and 1000');
  const order = url.searchParams.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidRequest('order must be asc or desc');
  return {
    limit,
    order,
    after: url.searchParams.get('after') ?? undefined,
    before: url.searchParams.get('before') ?? undefined,
  };
}

/**
 * One page of items kept in creation order: ordered by `order`, starting after `after` and stopping
 * before `before` (both exclusive; an unknown cursor gives an empty page), at most `limit` long;
 * with only `before`, the last `limit` items before it.
 */
export function paginate<T>(items: readonly T[], query: ListQuery, keyOf: (item: T) => string): T[] {
  let ordered = query.order === 'asc' ? [...items] : [...items].reverse();
  if (query.after !== undefined) {
    const at = ordered.findIndex((item) => keyOf(item) === query.after);
    if (at < 0) return [];
    ordered = ordered.slice(at + 1);
  }
  if (query.before !== undefined) {
    const at = ordered.findIndex((item) => keyOf(item) === query.before);
    if (at < 0) return [];
    ordered = ordered.slice(0, at);
    // Only a `before` cursor: the page that ends right before it (the previous page).
    if (query.after === undefined) return ordered.slice(-query.limit);
  }
  return ordered.slice(0, query.limit);
}

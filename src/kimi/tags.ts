// Cache tags: stable names bound to a cache id (/v1/caching/refs/tags).
import type { Requests } from './requests';
import type { CacheTag, ContextCache, ListParams, RequestOptions } from './types';

const TAGS = '/caching/refs/tags';

export function createTag(requests: Requests, tag: string, cacheId: string, o: RequestOptions = {}): Promise<CacheTag> {
  // After an ambiguous failure the tag may exist already: if it points at this cache, that is the answer.
  const recover = async (signal: AbortSignal | undefined): Promise<CacheTag | undefined> => {
    const found = await getTag(requests, tag, { signal, timeoutMs: o.timeoutMs }).catch((e: unknown) => {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    });
    if (found && found.cache_id !== cacheId) throw new Error(`the tag ${tag} points at another cache (${found.cache_id})`);
    return found;
  };
  return requests.json<CacheTag>({ method: 'POST', path: TAGS, body: { tag, cache_id: cacheId }, signal: o.signal, timeoutMs: o.timeoutMs }, recover);
}

export async function listTags(requests: Requests, p: ListParams = {}): Promise<{ object: 'list'; data: CacheTag[] }> {
  const query = { limit: p.limit, order: p.order, after: p.after, before: p.before };
  const res = await requests.json<{ data?: CacheTag[] }>({ method: 'GET', path: TAGS, query, signal: p.signal, timeoutMs: p.timeoutMs });
  return { object: 'list', data: Array.isArray(res.data) ? res.data : [] };
}

export function getTag(requests: Requests, tag: string, o: RequestOptions = {}): Promise<CacheTag> {
  return requests.json<CacheTag>({ method: 'GET', path: `${TAGS}/${encodeURIComponent(tag)}`, signal: o.signal, timeoutMs: o.timeoutMs });
}

export function getTagContent(requests: Requests, tag: string, o: RequestOptions = {}): Promise<ContextCache> {
  return requests.json<ContextCache>({ method: 'GET', path: `${TAGS}/${encodeURIComponent(tag)}/content`, signal: o.signal, timeoutMs: o.timeoutMs });
}

/** The API reports success even for a tag that does not exist. */
export async function deleteTag(requests: Requests, tag: string, o: RequestOptions = {}): Promise<{ deleted: boolean; tag: string }> {
  const res = await requests.json<{ deleted?: boolean; tag?: string }>({ method: 'DELETE', path: `${TAGS}/${encodeURIComponent(tag)}`, signal: o.signal, timeoutMs: o.timeoutMs });
  return { ...res, deleted: res.deleted === true, tag: res.tag ?? tag };
}

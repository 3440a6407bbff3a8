// Requests behind the cache list: every tag (paged), and telling "no caching here" from a failure.
import { InvokeError, isQuotaError, type KimiClient } from '../kimi';
import type { CacheTag } from '../kimi/types';
import { describeError } from '../core/errors';

const TAG_PAGE = 100;
const MAX_TAG_PAGES = 20;

/** All tags grouped by cache. A failure here only loses the tag rows, never the caches. */
export async function listAllTags(client: KimiClient, log: { warn(message: string): void }): Promise<Map<string, CacheTag[]>> {
  const byCache = new Map<string, CacheTag[]>();
  let after: string | undefined;
  try {
    for (let i = 0; i < MAX_TAG_PAGES; i++) {
      const page = await client.listTags({ limit: TAG_PAGE, ...(after ? { after } : {}) });
      for (const tag of page.data) byCache.set(tag.cache_id, [...(byCache.get(tag.cache_id) ?? []), tag]);
      if (page.data.length < TAG_PAGE) break;
      after = page.data[page.data.length - 1].tag;
    }
  } catch (e) {
    log.warn(`Listing cache tags failed: ${describeError(e).message}`);
  }
  return byCache;
}

/**
 * 400/403/404 from listing caches: the account or platform has no explicit caches (they were only
 * ever for moonshot-v1). The real service's answer is undocumented; a removed route would give the
 * unknown-route 404, which a wrong base URL gives too: then the model list tells the two apart.
 * Quota and key problems stay errors.
 */
export async function cachingUnavailable(client: KimiClient, e: unknown): Promise<boolean> {
  if (!(e instanceof InvokeError) || ![400, 403, 404].includes(e.status ?? 0) || isQuotaError(e)) return false;
  if (e.type !== 'url.not_found') return true;
  try {
    await client.listModels();
    return true;
  } catch {
    return false;
  }
}

// A conversation attached to a context cache (or tag) that no longer exists: the API's raw
// "Not found the cache … or Permission denied" becomes a plain message with Detach.
import * as vscode from 'vscode';
import { InvokeError } from '../kimi';
import { cacheRefName } from '../shared/conversation';
import type { CacheRef, TurnError } from './protocol';

/**
 * 404 "Not found the cache <id> / the tag <name> or Permission denied" (the test server and the
 * documented service); an expired cache may instead be refused with a 400 naming it, so that counts too.
 */
export function isCacheGone(e: unknown, cache: CacheRef | undefined): boolean {
  if (!cache || !(e instanceof InvokeError)) return false;
  if (!/\b(cache|tag)\b/i.test(e.message)) return false;
  return e.status === 404 || (e.status === 400 && /not found|not exist|expired|inactive/i.test(e.message));
}

export function cacheGoneError(cache: CacheRef): TurnError {
  const name = cacheRefName(cache);
  const message = cache.kind === 'tag'
    ? vscode.l10n.t('The context cache tag "{0}" this conversation uses no longer exists (deleted, or its cache expired). Detach it to go on without the cache.', name)
    : vscode.l10n.t('The context cache "{0}" this conversation uses no longer exists (expired or deleted). Detach it to go on without the cache.', name);
  return { message, actions: ['detachCache'] };
}

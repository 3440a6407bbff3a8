// Read-only virtual documents showing a cache's (or a tag's cache's) messages and tools as JSON.
import * as vscode from 'vscode';
import type { ContextCache } from '../kimi/types';
import type { KimiService } from '../core/service';

export const CACHE_SCHEME = 'kimi-cache';

export function cacheUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: CACHE_SCHEME, path: `/cache/${id}.json` });
}

export function tagUri(tag: string): vscode.Uri {
  return vscode.Uri.from({ scheme: CACHE_SCHEME, path: `/tag/${tag}.json` });
}

export class CacheDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly kimi: KimiService) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const m = /^\/(cache|tag)\/(.+)\.json$/.exec(uri.path);
    if (!m) throw new Error(vscode.l10n.t('Not a Kimi cache document: {0}', uri.toString()));
    const client = await this.kimi.requireClient();
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const cache = m[1] === 'cache' ? await client.getCache(m[2], { signal: controller.signal }) : await client.getTagContent(m[2], { signal: controller.signal });
    return renderCache(cache);
  }
}

/** The fields a reader wants first, then the cached conversation and tools exactly as stored. */
export function renderCache(cache: ContextCache): string {
  const { id, name, description, model, status, tokens, expired_at, created_at, metadata, tools, messages } = cache;
  return `${JSON.stringify({ id, name, description, model, status, tokens, created_at, expired_at, metadata, tools: tools ?? [], messages: messages ?? [] }, null, 2)}\n`;
}

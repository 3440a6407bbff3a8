// Commands on caches and tags, from the tree's menus or the command palette.
import * as vscode from 'vscode';
import type { KimiClient } from '../kimi';
import type { CacheTag, ContextCache } from '../kimi/types';
import { MAX_CACHE_TTL_SECONDS } from '../kimi/types';
import { isNotFound } from '../core/errors';
import { InvokeError } from '../kimi';
import { dialogs } from '../core/dialogs';
import type { KimiService } from '../core/service';
import { withProgress } from '../core/progress';
import { cacheUri, tagUri } from './document';
import { formatTokens } from '../shared/format';
import { formatExpiry, formatMetadataForEdit, parseMetadata, validateTagName, validateTtl } from './format';
import type { CacheModel } from './model';
import { saidUnavailable } from './notices';
import type { CacheNode } from './tree';

const t = vscode.l10n.t;

export class CacheCommands {
  constructor(
    private readonly kimi: KimiService,
    private readonly model: CacheModel,
  ) {}

  async updateTtl(node?: unknown): Promise<ContextCache | undefined> {
    const cache = await this.cacheFrom(node);
    if (!cache) return undefined;
    const expiry = formatExpiry(cache.expired_at, Date.now(), t);
    const value = await dialogs.input({
      title: t('Update Cache TTL: "{0}"', cache.name || cache.id),
      prompt: t('New time to live in seconds, counted from now (1–{0}). Now: {1}.', MAX_CACHE_TTL_SECONDS, expiry || t('no expiry')),
      value: String(MAX_CACHE_TTL_SECONDS),
      validateInput: (v) => validateTtl(v, t),
    });
    if (value === undefined) return undefined;
    const invalid = validateTtl(value, t);
    if (invalid) {
      void dialogs.error(invalid);
      return undefined;
    }
    return this.update(cache, { ttl: Number(value.trim()) }, t('Could not update the TTL'));
  }

  async editMetadata(node?: unknown): Promise<ContextCache | undefined> {
    const cache = await this.cacheFrom(node);
    if (!cache) return undefined;
    const value = await dialogs.input({
      title: t('Edit metadata of "{0}"', cache.name || cache.id),
      prompt: t('key=value pairs separated by commas, or a JSON object for values with commas: {"team": "a, b"} (up to 16). Empty removes all metadata.'),
      value: formatMetadataForEdit(cache.metadata),
      validateInput: (v) => {
        const parsed = parseMetadata(v, t);
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (value === undefined) return undefined;
    const parsed = parseMetadata(value, t);
    if ('error' in parsed) {
      void dialogs.error(parsed.error);
      return undefined;
    }
    return this.update(cache, { metadata: parsed.metadata }, t('Could not update the metadata'));
  }

  async delete(node?: unknown): Promise<boolean> {
    const cache = await this.cacheFrom(node);
    if (!cache) return false;
    const label = t('Delete');
    const ok = await dialogs.confirm(
      t('Delete context cache "{0}"?', cache.name || cache.id),
      t('The cache {0} is removed from the server; tags that point to it stop working. This cannot be undone.', cache.id),
      label,
    );
    if (!ok) return false;
    const deleted = await this.request(t('Could not delete the context cache'), () => this.delete(node), (client) => client.deleteCache(cache.id));
    if (!deleted) return false;
    await this.model.refresh();
    vscode.window.setStatusBarMessage(t('Deleted context cache {0}', cache.name || cache.id), 4000);
    return true;
  }

  async copyId(node?: unknown): Promise<string | undefined> {
    const cache = await this.cacheFrom(node);
    if (!cache) return undefined;
    await vscode.env.clipboard.writeText(cache.id);
    vscode.window.setStatusBarMessage(t('Copied {0}', cache.id), 3000);
    return cache.id;
  }

  async open(node?: unknown): Promise<vscode.TextEditor | undefined> {
    const cache = await this.cacheFrom(node);
    return cache ? this.show(cacheUri(cache.id), t('Could not open the context cache')) : undefined;
  }

  async addTag(node?: unknown): Promise<CacheTag | undefined> {
    const cache = await this.cacheFrom(node);
    if (!cache) return undefined;
    const tag = await dialogs.input({
      title: t('Add a tag to "{0}"', cache.name || cache.id),
      prompt: t('A stable name to use the cache by (chat with tag=NAME); a letter first, then letters, digits, "_", "-", ".".'),
      validateInput: (v) => validateTagName(v, t),
    });
    if (tag === undefined) return undefined;
    const invalid = validateTagName(tag, t);
    if (invalid) {
      void dialogs.error(invalid);
      return undefined;
    }
    const created = await this.request(t('Could not add the tag'), () => this.addTag(node), (client) => client.createTag(tag.trim(), cache.id));
    if (created) await this.model.refresh();
    return created;
  }

  async deleteTag(node?: unknown): Promise<boolean> {
    const tag = await this.tagFrom(node);
    if (!tag) return false;
    const label = t('Delete');
    const ok = await dialogs.confirm(t('Delete tag "{0}"?', tag.tag), t('The cache {0} itself stays.', tag.cache_id), label);
    if (!ok) return false;
    const deleted = await this.request(t('Could not delete the tag'), () => this.deleteTag(node), (client) => client.deleteTag(tag.tag));
    if (!deleted) return false;
    await this.model.refresh();
    return true;
  }

  async openTag(node?: unknown): Promise<vscode.TextEditor | undefined> {
    const tag = await this.tagFrom(node);
    return tag ? this.show(tagUri(tag.tag), t('Could not open the tag\'s cache')) : undefined;
  }

  private async update(cache: ContextCache, change: { ttl?: number; metadata?: Record<string, string> }, what: string): Promise<ContextCache | undefined> {
    const updated = await this.request(what, () => this.update(cache, change, what), (client) =>
      withProgress(t('Updating "{0}"…', cache.name || cache.id), (signal) => client.updateCache(cache.id, { ...change, signal })),
    );
    if (!updated) return undefined;
    this.model.replace(updated);
    vscode.window.setStatusBarMessage(t('Updated {0}: {1}', updated.name || updated.id, formatExpiry(updated.expired_at, Date.now(), t)), 4000);
    return updated;
  }

  /** One API request: a cache or tag gone meanwhile is handled quietly, any other failure is shown with Retry. */
  private async request<T>(what: string, retry: () => unknown, call: (client: KimiClient) => Promise<T>): Promise<T | undefined> {
    try {
      return await call(await this.kimi.requireClient());
    } catch (e) {
      if (!(await this.gone(e))) this.kimi.showError(e, what, retry);
      return undefined;
    }
  }

  private async show(uri: vscode.Uri, what: string): Promise<vscode.TextEditor | undefined> {
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      return await vscode.window.showTextDocument(doc, { preview: true });
    } catch (e) {
      if (!(await this.gone(e))) this.kimi.showError(e, what);
      return undefined;
    }
  }

  /**
   * A cache or tag deleted or expired elsewhere: say so once and drop it from the tree. A 404 for
   * an unknown route (a wrong base URL) is not that, and is reported as what it is.
   */
  private async gone(e: unknown): Promise<boolean> {
    if (!isNotFound(e) || (e instanceof InvokeError && e.type === 'url.not_found')) return false;
    void dialogs.info(t('That context cache or tag no longer exists; the list has been refreshed.'));
    await this.model.refresh();
    return true;
  }

  private async cacheFrom(node: unknown): Promise<ContextCache | undefined> {
    if (isNode(node) && node.kind === 'cache') return node.cache;
    if (!(await this.kimi.hasApiKey())) {
      await this.kimi.requireClient().catch(() => undefined);
      return undefined;
    }
    await this.model.refresh();
    if (saidUnavailable(this.model)) return undefined;
    const items = this.model.caches.map((cache) => ({
      label: cache.name || cache.id,
      description: cache.id,
      detail: `${cache.status}${typeof cache.tokens === 'number' ? ` · ${formatTokens(cache.tokens)} tokens` : ''} · ${formatExpiry(cache.expired_at, Date.now(), t)}`,
      cache,
    }));
    if (!items.length) {
      void dialogs.info(t('There are no context caches. Create one with "Kimi: Create Context Cache".'));
      return undefined;
    }
    return (await dialogs.pick(items, { title: t('Choose a context cache'), matchOnDescription: true }))?.cache;
  }

  private async tagFrom(node: unknown): Promise<CacheTag | undefined> {
    if (isNode(node) && node.kind === 'tag') return node.tag;
    if (!(await this.kimi.hasApiKey())) {
      await this.kimi.requireClient().catch(() => undefined);
      return undefined;
    }
    await this.model.refresh();
    if (saidUnavailable(this.model)) return undefined;
    const items = this.model.caches.flatMap((cache) => this.model.tagsOf(cache.id).map((tag) => ({ label: tag.tag, description: cache.name || cache.id, tag })));
    if (!items.length) {
      void dialogs.info(t('No cache has a tag yet.'));
      return undefined;
    }
    return (await dialogs.pick(items, { title: t('Choose a tag') }))?.tag;
  }
}

function isNode(v: unknown): v is CacheNode {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string';
}

// Commands on caches and tags, from the tree's menus or the command palette.
import * as vscode from 'vscode';
import type { KimiClient } from '../kimi';
import type { CacheTag, ContextCache } from '../kimi/types';
import { CACHE_MODEL_FAMILY, MAX_CACHE_TTL_SECONDS } from '../kimi/types';
import { isNotFound } from '../core/errors';
import { InvokeError, modelFacts } from '../kimi';
import { dialogs } from '../core/dialogs';
import type { KimiService } from '../core/service';
import { withProgress } from '../core/progress';
import { registerCommand } from '../core/command';
import { Commands, type CommandId, ViewCommands } from '../core/ids';
import { cacheUri, tagUri } from './document';
import { type CacheSource, sourceFrom } from './source';
import { formatTokens } from '../shared/format';
import { formatDuration, formatExpiry, formatMetadataForEdit, parseMetadata, validateTagName, validateTtl } from './format';
import type { CacheNode, CacheTreeProvider } from './tree';

/** The model used to count a new cache's tokens when the model list cannot be read. */
const COUNT_MODEL = `${CACHE_MODEL_FAMILY}-128k`;
const MAX_CACHE_TOKENS = 128 * 1024;
const t = vscode.l10n.t;

export function registerCacheCommands(context: vscode.ExtensionContext, kimi: KimiService, tree: CacheTreeProvider): void {
  const c = new CacheCommands(kimi, tree);
  const reg = (id: CommandId, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(registerCommand(id, fn, kimi, t('Context caches')));
  // The view starts collapsed (the chat gets the side bar): asking for the caches shows them.
  reg(Commands.cachesRefresh, async () => {
    await tree.refresh();
    await showCachesView();
  });
  reg(Commands.cachesLoadMore, () => tree.loadMore());
  reg(Commands.cachesCreate, (arg) => c.create(arg));
  reg(Commands.cachesCreateFromFiles, (clicked, selected) => c.create(Array.isArray(selected) && selected.length ? selected : clicked));
  reg(Commands.cachesUpdateTtl, (node) => c.updateTtl(node));
  reg(Commands.cachesEditMetadata, (node) => c.editMetadata(node));
  reg(Commands.cachesDelete, (node) => c.delete(node));
  reg(Commands.cachesCopyId, (node) => c.copyId(node));
  reg(Commands.cachesOpen, (node) => c.open(node));
  reg(Commands.cachesAddTag, (node) => c.addTag(node));
  reg(Commands.tagsDelete, (node) => c.deleteTag(node));
  reg(Commands.tagsOpenContent, (node) => c.openTag(node));
}

/** Expands and shows the Context Caches view (VS Code's own `<view id>.focus` command). */
function showCachesView(): Thenable<unknown> {
  return vscode.commands.executeCommand(ViewCommands.focusCaches);
}

export class CacheCommands {
  constructor(
    private readonly kimi: KimiService,
    private readonly tree: CacheTreeProvider,
  ) {}

  async create(arg?: unknown): Promise<ContextCache | undefined> {
    let source: CacheSource | undefined;
    try {
      source = await sourceFrom(arg);
    } catch (e) {
      this.kimi.showError(e, t('Could not read the files for the cache'));
      return undefined;
    }
    if (!source) {
      void dialogs.info(t('Open a file or select text (or choose files in the Explorer) to create a context cache from.'));
      return undefined;
    }
    const client = await this.kimi.requireClient();
    if (this.unavailableSaid()) return undefined;
    const models = await this.cacheModels();
    if (models && models.length === 0) {
      void dialogs.info(
        t('None of the models this account lists can use explicit context caches (only the {0} family could). Today\'s Kimi models cache repeated prompts automatically.', CACHE_MODEL_FAMILY),
      );
      return undefined;
    }
    const countModel = models?.[0] ?? COUNT_MODEL;
    const usableBy = models?.length ? models.join(', ') : `${CACHE_MODEL_FAMILY}-8k, -32k, -128k`;
    const name = await dialogs.input({
      title: t('Create Context Cache (1/3): name'),
      value: source.name,
      prompt: t('A name to recognise the cache by (optional, up to 256 characters).'),
      validateInput: (v) => (v.length > 256 ? t('At most 256 characters.') : undefined),
    });
    if (name === undefined) return undefined;
    const description = await dialogs.input({
      title: t('Create Context Cache (2/3): description'),
      prompt: t('What the cache holds (optional, up to 512 characters).'),
      validateInput: (v) => (v.length > 512 ? t('At most 512 characters.') : undefined),
    });
    if (description === undefined) return undefined;
    const ttlText = await dialogs.input({
      title: t('Create Context Cache (3/3): time to live'),
      value: String(MAX_CACHE_TTL_SECONDS),
      prompt: t('Seconds until the cache expires (1–{0}). Each use can extend it.', MAX_CACHE_TTL_SECONDS),
      validateInput: (v) => validateTtl(v, t),
    });
    if (ttlText === undefined || validateTtl(ttlText, t)) return undefined;
    const ttl = Number(ttlText.trim());

    let tokens: number;
    try {
      tokens = await withProgress(t('Counting tokens…'), (signal) => client.countTokens(countModel, source.messages, { signal }));
    } catch (e) {
      this.kimi.showError(e, t('Could not count the cache\'s tokens'));
      return undefined;
    }
    if (tokens > MAX_CACHE_TOKENS) {
      void dialogs.error(t('This content has {0} tokens; a context cache holds at most {1}. Select less text or fewer files.', formatTokens(tokens), formatTokens(MAX_CACHE_TOKENS)));
      return undefined;
    }
    const create = t('Create Cache');
    const ok = await dialogs.question(
      t('Create a context cache of {0} tokens?', formatTokens(tokens)),
      t('Usable by {0} (explicit caches exist only for the {1} family; other Kimi models cache prompts automatically). Storage is billed while the cache is ready; it expires after {2} unless used.', usableBy, CACHE_MODEL_FAMILY, formatDuration(ttl, t)),
      create,
    );
    if (!ok) return undefined;
    try {
      const cache = await withProgress(t('Creating context cache…'), (signal) =>
        client.createCache(CACHE_MODEL_FAMILY, source.messages, { ...(name.trim() ? { name: name.trim() } : {}), ...(description.trim() ? { description: description.trim() } : {}), ttl, signal }),
      );
      await Promise.all([showCachesView(), this.tree.refresh()]);
      void dialogs.info(t('Context cache "{0}" created ({1}, {2}).', cache.name || cache.id, cache.id, cache.status));
      return cache;
    } catch (e) {
      this.kimi.showError(e, t('Could not create the context cache'), () => this.create(arg));
      return undefined;
    }
  }

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
    await this.tree.refresh();
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
    if (created) await this.tree.refresh();
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
    await this.tree.refresh();
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
    this.tree.replace(updated);
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

  /** Says so when the tree found no caching here; true then. */
  private unavailableSaid(): boolean {
    if (!this.tree.unavailable) return false;
    void dialogs.info(t('Context caching is not available for this account or platform.'));
    return true;
  }

  /** The listed models that can use an explicit cache, largest window first; undefined when unknown. */
  private async cacheModels(): Promise<string[] | undefined> {
    try {
      const listed = await this.kimi.listModels();
      return listed
        .map((m) => modelFacts(m.id, m))
        // Vision models can use a cache but not create one.
        .filter((f) => f.explicitCaches && !f.vision)
        .sort((a, b) => b.contextWindow - a.contextWindow)
        .map((f) => f.id);
    } catch (e) {
      this.kimi.log.warn(`Could not list the models for a new cache: ${String(e)}`);
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
    await this.tree.refresh();
    return true;
  }

  private async cacheFrom(node: unknown): Promise<ContextCache | undefined> {
    if (isNode(node) && node.kind === 'cache') return node.cache;
    if (!(await this.kimi.hasApiKey())) {
      await this.kimi.requireClient().catch(() => undefined);
      return undefined;
    }
    await this.tree.refresh();
    if (this.unavailableSaid()) return undefined;
    const items = this.tree.caches.map((cache) => ({
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
    await this.tree.refresh();
    if (this.unavailableSaid()) return undefined;
    const items = this.tree.caches.flatMap((cache) => this.tree.tagsOf(cache.id).map((tag) => ({ label: tag.tag, description: cache.name || cache.id, tag })));
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

// The "Context Caches" tree: caches (one page at a time) with their tags as children.
import * as vscode from 'vscode';
import { ContextKeys } from '../core/ids';
import { setContext } from '../core/command';
import type { CacheTag, ContextCache } from '../kimi/types';
import { describeError } from '../core/errors';
import { InvokeError, isQuotaError, type KimiClient } from '../kimi';
import type { KimiService } from '../core/service';
import { formatTokens } from '../shared/format';
import { describeCache, formatMetadata, isExpired } from './format';

export type CacheNode =
  | { kind: 'cache'; cache: ContextCache }
  | { kind: 'tag'; tag: CacheTag }
  | { kind: 'loadMore' }
  | { kind: 'problem'; message: string };

const PENDING_POLL_MS = 2_000;
const CLOCK_TICK_MS = 30_000;
const TAG_PAGE = 100;
const MAX_TAG_PAGES = 20;

export class CacheTreeProvider implements vscode.TreeDataProvider<CacheNode>, vscode.Disposable {
  /** Caches per request; a "Load more" row appears after a full page. */
  pageSize = 20;
  private readonly changed = new vscode.EventEmitter<CacheNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: Array<CacheNode & { kind: 'cache' }> = [];
  private tags = new Map<string, CacheTag[]>();
  private hasMore = false;
  private loaded = false;
  private requested = 0;
  private loading: Promise<void> | undefined;
  private problem: string | undefined;
  private noCaching = false;
  private lastShownProblem: string | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly clock: ReturnType<typeof setInterval>;
  private readonly t = vscode.l10n.t;
  view: vscode.TreeView<CacheNode> | undefined;

  constructor(private readonly kimi: KimiService) {
    // Keep "expires in …" current without network traffic while the view is visible.
    this.clock = setInterval(() => {
      if (this.view?.visible && this.nodes.length) this.changed.fire(undefined);
    }, CLOCK_TICK_MS);
  }

  /** The caches currently shown (expired ones are left out). */
  get caches(): ContextCache[] {
    return this.nodes.map((n) => n.cache);
  }

  /** `/v1/caching` answered that this account or platform has no explicit caches. */
  get unavailable(): boolean {
    return this.noCaching;
  }

  tagsOf(cacheId: string): CacheTag[] {
    return this.tags.get(cacheId) ?? [];
  }

  get canLoadMore(): boolean {
    return this.hasMore;
  }

  getTreeItem(node: CacheNode): vscode.TreeItem {
    switch (node.kind) {
      case 'cache':
        return this.cacheItem(node.cache);
      case 'tag': {
        const item = new vscode.TreeItem(node.tag.tag, vscode.TreeItemCollapsibleState.None);
        item.id = `tag:${node.tag.tag}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'tag';
        item.description = this.t('tag');
        item.tooltip = tooltip([
          [this.t('Tag'), node.tag.tag],
          [this.t('Cache'), node.tag.cache_id],
          [this.t('Created'), time(node.tag.created_at)],
          [this.t('Owner'), node.tag.owned_by],
        ]);
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem(this.t('Load more…'), vscode.TreeItemCollapsibleState.None);
        item.id = 'loadMore';
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'loadMore';
        item.command = { command: 'kimi.caches.loadMore', title: this.t('Load more…') };
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(this.t('Could not load context caches'), vscode.TreeItemCollapsibleState.None);
        item.id = 'problem';
        item.description = node.message;
        item.tooltip = `${node.message}\n\n${this.t('Click to retry.')}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = 'problem';
        item.command = { command: 'kimi.caches.refresh', title: this.t('Refresh') };
        return item;
      }
    }
  }

  async getChildren(node?: CacheNode): Promise<CacheNode[]> {
    if (node?.kind === 'cache') return this.tagsOf(node.cache.id).map((tag) => ({ kind: 'tag', tag }));
    if (node) return [];
    if (!this.loaded) await this.reload(false);
    if (this.problem !== undefined) return [{ kind: 'problem', message: this.problem }];
    return this.hasMore ? [...this.nodes, { kind: 'loadMore' }] : [...this.nodes];
  }

  getParent(node: CacheNode): CacheNode | undefined {
    if (node.kind === 'tag') return this.nodes.find((n) => n.cache.id === node.tag.cache_id);
    return undefined;
  }

  /** Reloads everything shown so far (same number of caches) and redraws. */
  async refresh(): Promise<void> {
    await this.reload(true);
    this.changed.fire(undefined);
  }

  /** Forgets what was loaded (key or endpoint changed); reloads when the view asks. */
  reset(): void {
    this.loaded = false;
    this.requested = 0;
    this.nodes = [];
    this.tags.clear();
    this.problem = undefined;
    this.lastShownProblem = undefined;
    this.noCaching = false;
    this.changed.fire(undefined);
  }

  async loadMore(): Promise<void> {
    const client = await this.kimi.client();
    const last = this.nodes.at(-1)?.cache.id;
    if (!client || !last) return this.refresh();
    try {
      const page = await client.listCaches({ limit: this.pageSize, after: last });
      this.requested += this.pageSize;
      this.hasMore = page.data.length >= this.pageSize;
      const known = new Set(this.nodes.map((n) => n.cache.id));
      const now = Date.now();
      for (const cache of page.data) {
        if (!known.has(cache.id) && !isExpired(cache, now)) this.nodes.push({ kind: 'cache', cache });
      }
      this.scheduleFollowUp();
    } catch (e) {
      this.kimi.showError(e, this.t('Could not load more context caches'), () => this.loadMore());
    }
    this.changed.fire(undefined);
  }

  /** Replaces one cache in place (after an update) without a full reload. */
  replace(cache: ContextCache): void {
    const node = this.nodes.find((n) => n.cache.id === cache.id);
    if (node) node.cache = cache;
    this.scheduleFollowUp();
    this.changed.fire(undefined);
  }

  dispose(): void {
    clearInterval(this.clock);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.changed.dispose();
  }

  private reload(userAsked: boolean): Promise<void> {
    this.loading ??= this.fetchAll(userAsked).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetchAll(userAsked: boolean): Promise<void> {
    const client = await this.kimi.client();
    this.loaded = true;
    this.noCaching = false;
    if (!client) {
      this.nodes = [];
      this.tags.clear();
      this.problem = undefined;
      await this.setContext(false, false);
      return;
    }
    const limit = Math.max(this.pageSize, this.requested);
    try {
      const [page, tags] = await Promise.all([client.listCaches({ limit }), this.fetchTags()]);
      this.requested = limit;
      this.hasMore = page.data.length >= limit;
      const now = Date.now();
      this.nodes = page.data.filter((c) => !isExpired(c, now)).map((cache) => ({ kind: 'cache', cache }));
      this.tags = tags;
      this.problem = undefined;
      this.lastShownProblem = undefined;
    } catch (e) {
      this.nodes = [];
      this.tags.clear();
      if (await cachingUnavailable(client, e)) {
        // Not a failure: the view's welcome says so, without a toast on every refresh.
        this.noCaching = true;
        this.problem = undefined;
        this.kimi.log.info(`Context caching is not available here: ${describeError(e).message}`);
      } else {
        const { message } = describeError(e);
        this.problem = message;
        // One notification per distinct failure, never one per automatic refresh.
        if (userAsked || this.lastShownProblem !== message) {
          this.lastShownProblem = message;
          this.kimi.showError(e, this.t('Could not load context caches'), () => this.refresh());
        }
      }
    }
    await this.setContext(this.problem === undefined && !this.noCaching && this.nodes.length === 0, this.noCaching);
    this.scheduleFollowUp();
  }

  private async setContext(empty: boolean, unavailable: boolean): Promise<void> {
    await setContext(ContextKeys.cachesEmpty, empty);
    await setContext(ContextKeys.cachesUnavailable, unavailable);
  }

  /** All tags grouped by cache. A failure here only loses the tag rows, never the caches. */
  private async fetchTags(): Promise<Map<string, CacheTag[]>> {
    const client = await this.kimi.client();
    const byCache = new Map<string, CacheTag[]>();
    if (!client) return byCache;
    let after: string | undefined;
    try {
      for (let i = 0; i < MAX_TAG_PAGES; i++) {
        const page = await client.listTags({ limit: TAG_PAGE, ...(after ? { after } : {}) });
        for (const tag of page.data) byCache.set(tag.cache_id, [...(byCache.get(tag.cache_id) ?? []), tag]);
        if (page.data.length < TAG_PAGE) break;
        after = page.data[page.data.length - 1].tag;
      }
    } catch (e) {
      this.kimi.log.warn(`Listing cache tags failed: ${describeError(e).message}`);
    }
    return byCache;
  }

  /** Polls while a cache is pending, and reloads when the next cache expires (so it disappears). */
  private scheduleFollowUp(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (this.problem !== undefined) return;
    const now = Date.now();
    let delay: number | undefined;
    if (this.nodes.some((n) => n.cache.status === 'pending')) delay = PENDING_POLL_MS;
    for (const n of this.nodes) {
      if (n.cache.expired_at) {
        const untilExpiry = n.cache.expired_at * 1000 - now + 1_000;
        delay = Math.min(delay ?? Infinity, Math.max(untilExpiry, PENDING_POLL_MS));
      }
    }
    if (delay !== undefined && delay < 2 ** 31 - 1) {
      this.pollTimer = setTimeout(() => {
        this.pollTimer = undefined;
        void this.refresh();
      }, delay);
    }
  }

  private cacheItem(cache: ContextCache): vscode.TreeItem {
    const tags = this.tagsOf(cache.id);
    const item = new vscode.TreeItem(cache.name || cache.id, tags.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `cache:${cache.id}`;
    item.description = describeCache(cache, Date.now(), this.t);
    item.iconPath = statusIcon(cache.status);
    item.contextValue = 'cache';
    item.tooltip = tooltip([
      [this.t('Name'), cache.name],
      [this.t('ID'), cache.id],
      [this.t('Status'), cache.status + (cache.error?.message ? ` — ${cache.error.message}` : '')],
      [this.t('Model family'), cache.model],
      [this.t('Tokens'), typeof cache.tokens === 'number' ? formatTokens(cache.tokens) : undefined],
      [this.t('Description'), cache.description],
      [this.t('Metadata'), formatMetadata(cache.metadata) || undefined],
      [this.t('Tags'), tags.map((t) => t.tag).join(', ') || undefined],
      [this.t('Created'), time(cache.created_at)],
      [this.t('Expires'), time(cache.expired_at)],
      [this.t('Messages'), cache.messages ? String(cache.messages.length) : undefined],
      [this.t('Tools'), cache.tools ? String(cache.tools.length) : undefined],
    ]);
    return item;
  }
}

/**
 * 400/403/404 from listing caches: the account or platform has no explicit caches (they were only
 * ever for moonshot-v1). The real service's answer is undocumented; a removed route would give the
 * unknown-route 404, which a wrong base URL gives too: then the model list tells the two apart.
 * Quota and key problems stay errors.
 */
async function cachingUnavailable(client: KimiClient, e: unknown): Promise<boolean> {
  if (!(e instanceof InvokeError) || ![400, 403, 404].includes(e.status ?? 0) || isQuotaError(e)) return false;
  if (e.type !== 'url.not_found') return true;
  try {
    await client.listModels();
    return true;
  } catch {
    return false;
  }
}

export function statusIcon(status: string): vscode.ThemeIcon {
  switch (status) {
    case 'ready':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'pending':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.yellow'));
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    default:
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  }
}

function tooltip(rows: Array<[string, string | undefined]>): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  for (const [label, value] of rows) {
    if (value) md.appendMarkdown(`**${label}:** `).appendText(value).appendMarkdown('  \n');
  }
  return md;
}

function time(unixSeconds: number | undefined): string | undefined {
  return unixSeconds ? new Date(unixSeconds * 1000).toLocaleString() : undefined;
}

// The "Context Caches" view: renders the cache model (caches, their tags as children, "Load more",
// one problem row) and owns its TreeView. No requests here.
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { Commands, Views } from '../core/ids';
import type { CacheTag, ContextCache } from '../kimi/types';
import { formatTokens } from '../shared/format';
import { describeCache, formatMetadata } from './format';
import type { CacheModel } from './model';

export type CacheNode =
  | { kind: 'cache'; cache: ContextCache }
  | { kind: 'tag'; tag: CacheTag }
  | { kind: 'loadMore' }
  | { kind: 'problem'; message: string };

const CLOCK_TICK_MS = 30_000;
const t = vscode.l10n.t;

export class CacheTree extends Disposable implements vscode.TreeDataProvider<CacheNode> {
  private readonly changed = this.register(new vscode.EventEmitter<CacheNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<CacheNode>;
  /** One row object per loaded cache, so a redraw hands VS Code the rows it already knows. */
  private readonly rows = new WeakMap<ContextCache, CacheNode & { kind: 'cache' }>();

  constructor(private readonly model: CacheModel) {
    super();
    this.register(model.onDidChange(() => this.changed.fire(undefined)));
    this.view = this.register(vscode.window.createTreeView(Views.caches, { treeDataProvider: this, showCollapseAll: true }));
    // Keeps "expires in …" current without network traffic while the view is visible.
    const clock = setInterval(() => {
      if (this.view.visible && model.caches.length) this.changed.fire(undefined);
    }, CLOCK_TICK_MS);
    this.register({ dispose: () => clearInterval(clock) });
  }

  getTreeItem(node: CacheNode): vscode.TreeItem {
    switch (node.kind) {
      case 'cache':
        return cacheItem(node.cache, this.model.tagsOf(node.cache.id));
      case 'tag':
        return tagItem(node.tag);
      case 'loadMore':
        return loadMoreItem();
      case 'problem':
        return problemItem(node.message);
    }
  }

  async getChildren(node?: CacheNode): Promise<CacheNode[]> {
    if (node?.kind === 'cache') return this.model.tagsOf(node.cache.id).map((tag) => ({ kind: 'tag', tag }));
    if (node) return [];
    await this.model.ensureLoaded();
    if (this.model.problem !== undefined) return [{ kind: 'problem', message: this.model.problem }];
    const rows: CacheNode[] = this.model.caches.map((cache) => this.rowOf(cache));
    return this.model.canLoadMore ? [...rows, { kind: 'loadMore' }] : rows;
  }

  getParent(node: CacheNode): CacheNode | undefined {
    if (node.kind !== 'tag') return undefined;
    const cache = this.model.caches.find((c) => c.id === node.tag.cache_id);
    return cache && this.rowOf(cache);
  }

  private rowOf(cache: ContextCache): CacheNode & { kind: 'cache' } {
    let row = this.rows.get(cache);
    if (!row) this.rows.set(cache, (row = { kind: 'cache', cache }));
    return row;
  }
}

function cacheItem(cache: ContextCache, tags: CacheTag[]): vscode.TreeItem {
  const item = new vscode.TreeItem(cache.name || cache.id, tags.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `cache:${cache.id}`;
  item.description = describeCache(cache, Date.now(), t);
  item.iconPath = statusIcon(cache.status);
  item.contextValue = 'cache';
  item.tooltip = tooltip([
    [t('Name'), cache.name],
    [t('ID'), cache.id],
    [t('Status'), cache.status + (cache.error?.message ? ` — ${cache.error.message}` : '')],
    [t('Model family'), cache.model],
    [t('Tokens'), typeof cache.tokens === 'number' ? formatTokens(cache.tokens) : undefined],
    [t('Description'), cache.description],
    [t('Metadata'), formatMetadata(cache.metadata) || undefined],
    [t('Tags'), tags.map((tag) => tag.tag).join(', ') || undefined],
    [t('Created'), time(cache.created_at)],
    [t('Expires'), time(cache.expired_at)],
    [t('Messages'), cache.messages ? String(cache.messages.length) : undefined],
    [t('Tools'), cache.tools ? String(cache.tools.length) : undefined],
  ]);
  return item;
}

function tagItem(tag: CacheTag): vscode.TreeItem {
  const item = new vscode.TreeItem(tag.tag, vscode.TreeItemCollapsibleState.None);
  item.id = `tag:${tag.tag}`;
  item.iconPath = new vscode.ThemeIcon('tag');
  item.contextValue = 'tag';
  item.description = t('tag');
  item.tooltip = tooltip([
    [t('Tag'), tag.tag],
    [t('Cache'), tag.cache_id],
    [t('Created'), time(tag.created_at)],
    [t('Owner'), tag.owned_by],
  ]);
  return item;
}

function loadMoreItem(): vscode.TreeItem {
  const item = new vscode.TreeItem(t('Load more…'), vscode.TreeItemCollapsibleState.None);
  item.id = 'loadMore';
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'loadMore';
  item.command = { command: Commands.cachesLoadMore, title: t('Load more…') };
  return item;
}

function problemItem(message: string): vscode.TreeItem {
  const item = new vscode.TreeItem(t('Could not load context caches'), vscode.TreeItemCollapsibleState.None);
  item.id = 'problem';
  item.description = message;
  item.tooltip = `${message}\n\n${t('Click to retry.')}`;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.contextValue = 'problem';
  item.command = { command: Commands.cachesRefresh, title: t('Refresh') };
  return item;
}

function statusIcon(status: string): vscode.ThemeIcon {
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

// The context caches this account has: loaded one page at a time, with their tags; polled while a
// cache is pending and reloaded when the next one expires. The tree only renders what this holds.
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { ContextKeys } from '../core/ids';
import { setContext } from '../core/command';
import { describeError } from '../core/errors';
import type { KimiService } from '../core/service';
import type { CacheTag, ContextCache } from '../kimi/types';
import { cachingUnavailable, listAllTags } from './listing';
import { isExpired } from './format';

const PENDING_POLL_MS = 2_000;

export class CacheModel extends Disposable {
  /** Caches per request; more can be loaded after a full page. */
  pageSize = 20;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires whenever what is shown may have changed (loaded, failed, reset, polled). */
  readonly onDidChange = this.changed.event;
  private list: ContextCache[] = [];
  private tags = new Map<string, CacheTag[]>();
  private hasMore = false;
  private loadedOnce = false;
  private requested = 0;
  private loading: Promise<void> | undefined;
  private failure: string | undefined;
  private noCaching = false;
  private lastShownProblem: string | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly t = vscode.l10n.t;

  constructor(private readonly kimi: KimiService) {
    super();
    this.register({ dispose: () => this.pollTimer && clearTimeout(this.pollTimer) });
    // Another key or endpoint means other caches; a model or temperature change does not.
    this.register(kimi.onDidChangeAccount(() => this.reset()));
  }

  /** The caches loaded so far (expired ones are left out). */
  get caches(): readonly ContextCache[] {
    return this.list;
  }

  /** `/v1/caching` answered that this account or platform has no explicit caches. */
  get unavailable(): boolean {
    return this.noCaching;
  }

  /** Why the last load failed (shown as one row), or undefined. */
  get problem(): string | undefined {
    return this.failure;
  }

  get canLoadMore(): boolean {
    return this.hasMore;
  }

  tagsOf(cacheId: string): CacheTag[] {
    return this.tags.get(cacheId) ?? [];
  }

  /** Loads the first page unless something was loaded already (or is loading). */
  async ensureLoaded(): Promise<void> {
    if (!this.loadedOnce) await this.reload(false);
  }

  /** Reloads everything loaded so far (same number of caches). */
  async refresh(): Promise<void> {
    await this.reload(true);
    this.changed.fire();
  }

  /** Forgets what was loaded (key or endpoint changed); loads again when asked. */
  reset(): void {
    this.loadedOnce = false;
    this.requested = 0;
    this.list = [];
    this.tags.clear();
    this.failure = undefined;
    this.lastShownProblem = undefined;
    this.noCaching = false;
    this.changed.fire();
  }

  async loadMore(): Promise<void> {
    const client = await this.kimi.client();
    const last = this.list.at(-1)?.id;
    if (!client || !last) return this.refresh();
    try {
      const page = await client.listCaches({ limit: this.pageSize, after: last });
      this.requested += this.pageSize;
      this.hasMore = page.data.length >= this.pageSize;
      const known = new Set(this.list.map((c) => c.id));
      const now = Date.now();
      for (const cache of page.data) if (!known.has(cache.id) && !isExpired(cache, now)) this.list.push(cache);
      this.scheduleFollowUp();
    } catch (e) {
      this.kimi.showError(e, this.t('Could not load more context caches'), () => this.loadMore());
    }
    this.changed.fire();
  }

  /** Replaces one cache in place (after an update) without a full reload. */
  replace(cache: ContextCache): void {
    const at = this.list.findIndex((c) => c.id === cache.id);
    if (at >= 0) this.list[at] = cache;
    this.scheduleFollowUp();
    this.changed.fire();
  }

  private reload(userAsked: boolean): Promise<void> {
    this.loading ??= this.fetchAll(userAsked).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetchAll(userAsked: boolean): Promise<void> {
    const client = await this.kimi.client();
    this.loadedOnce = true;
    this.noCaching = false;
    if (!client) {
      this.list = [];
      this.tags.clear();
      this.failure = undefined;
      await this.setContextKeys(false, false);
      return;
    }
    const limit = Math.max(this.pageSize, this.requested);
    try {
      const [page, tags] = await Promise.all([client.listCaches({ limit }), listAllTags(client, this.kimi.log)]);
      this.requested = limit;
      this.hasMore = page.data.length >= limit;
      const now = Date.now();
      this.list = page.data.filter((c) => !isExpired(c, now));
      this.tags = tags;
      this.failure = undefined;
      this.lastShownProblem = undefined;
    } catch (e) {
      this.list = [];
      this.tags.clear();
      if (await cachingUnavailable(client, e)) {
        // Not a failure: the view's welcome says so, without a toast on every refresh.
        this.noCaching = true;
        this.failure = undefined;
        this.kimi.log.info(`Context caching is not available here: ${describeError(e).message}`);
      } else {
        const { message } = describeError(e);
        this.failure = message;
        // One notification per distinct failure, never one per automatic refresh.
        if (userAsked || this.lastShownProblem !== message) {
          this.lastShownProblem = message;
          this.kimi.showError(e, this.t('Could not load context caches'), () => this.refresh());
        }
      }
    }
    await this.setContextKeys(this.failure === undefined && !this.noCaching && this.list.length === 0, this.noCaching);
    this.scheduleFollowUp();
  }

  /** The view's welcome texts ("no caches yet", "not available here") follow these keys. */
  private async setContextKeys(empty: boolean, unavailable: boolean): Promise<void> {
    await setContext(ContextKeys.cachesEmpty, empty);
    await setContext(ContextKeys.cachesUnavailable, unavailable);
  }

  /** Polls while a cache is pending, and reloads when the next cache expires (so it disappears). */
  private scheduleFollowUp(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (this.failure !== undefined || this.isDisposed) return;
    const now = Date.now();
    let delay: number | undefined;
    if (this.list.some((c) => c.status === 'pending')) delay = PENDING_POLL_MS;
    for (const c of this.list) {
      if (c.expired_at) {
        const untilExpiry = c.expired_at * 1000 - now + 1_000;
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
}

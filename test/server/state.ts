// Everything the test server remembers between requests: caches, tags, faults, recorded requests.
import type { IncomingHttpHeaders } from 'node:http';
import type { Balance, CacheTag, ContextCache } from '../../src/kimi/types';
import { FaultQueue } from './faults';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, the raw text otherwise, undefined when empty. */
  body: unknown;
  /** Date.now() when the request arrived. */
  at: number;
  requestId: string;
}

export interface ServerOptions {
  port: number;
  apiKeys: string[];
  cacheReadyAfterMs: number;
  chunkDelayMs: number;
  /** List only the current (2026) models; older ids answer 404 as retired. */
  currentModelsOnly: boolean;
}

const DEFAULT_BALANCE: Balance = { available_balance: 49.58894, voucher_balance: 46.58893, cash_balance: 3.00001 };

export class ServerState {
  readonly caches = new Map<string, ContextCache>();
  readonly tags = new Map<string, CacheTag>();
  readonly faults = new FaultQueue();
  readonly requests: RecordedRequest[] = [];
  balance: Balance = { ...DEFAULT_BALANCE };
  /** The "only current models" switch (starts at options.currentModelsOnly; reset restores that). */
  currentModelsOnly: boolean;
  /** Message-prefix hashes seen by chat requests, for automatic prefix-cache hits (kimi-k* models). */
  readonly prefixes = new Set<string>();
  /** Set: every /v1/caching route answers this status, as on an account or platform without explicit caches. */
  cachingUnavailable: 400 | 403 | 404 | undefined;
  /** Streams still being written; drops as soon as a client disconnects (tests check that work stops). */
  openStreams = 0;
  /** When each pending cache becomes ready (ms). */
  private readonly readyAt = new Map<string, number>();

  constructor(readonly options: ServerOptions) {
    this.currentModelsOnly = options.currentModelsOnly;
  }

  addCache(cache: ContextCache): void {
    this.caches.set(cache.id, cache);
    this.markPending(cache);
  }

  deleteCache(id: string): void {
    this.caches.delete(id);
    this.readyAt.delete(id);
  }

  /** Creation and updates both go through pending again, ready after cacheReadyAfterMs. */
  markPending(cache: ContextCache): void {
    cache.status = 'pending';
    this.readyAt.set(cache.id, Date.now() + this.options.cacheReadyAfterMs);
    this.refresh(cache);
  }

  /** Brings a cache's status up to date: pending → ready on time, ready/pending → inactive on expiry. */
  refresh(cache: ContextCache): ContextCache {
    const now = Date.now();
    if (cache.status === 'pending' && now >= (this.readyAt.get(cache.id) ?? 0)) cache.status = 'ready';
    if ((cache.status === 'pending' || cache.status === 'ready') && cache.expired_at !== undefined &&
      cache.expired_at * 1000 <= now) {
      cache.status = 'inactive';
    }
    return cache;
  }

  refreshAll(): void {
    for (const cache of this.caches.values()) this.refresh(cache);
  }

  reset(): void {
    this.caches.clear();
    this.readyAt.clear();
    this.tags.clear();
    this.faults.clear();
    this.requests.length = 0;
    this.balance = { ...DEFAULT_BALANCE };
    this.currentModelsOnly = this.options.currentModelsOnly;
    this.prefixes.clear();
    this.cachingUnavailable = undefined;
  }
}

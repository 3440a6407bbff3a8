// The Kimi (Moonshot) API client. Plain Node: no vscode import, undici loaded on first request.
import * as balance from './balance';
import * as caches from './caches';
import * as chat from './chat';
import { Requests } from './requests';
import { ClientLog } from './log';
import * as models from './models';
import * as tags from './tags';
import * as tokens from './tokens';
import { Transport } from './transport';
import type {
  Balance,
  CacheTag,
  ChatCompletion,
  ChatCompletionChunk,
  ChatMessage,
  ChatParams,
  ContextCache,
  CreateCacheParams,
  KimiClientOptions,
  ListCachesParams,
  ListParams,
  Model,
  RequestOptions,
  UpdateCacheParams,
} from './types';

export const DEFAULT_MAX_RETRIES = 2;

export class KimiClient {
  readonly #transport: Transport;
  readonly #requests: Requests;

  constructor(options: KimiClientOptions) {
    if (!options.apiKey) throw new Error('KimiClient needs an API key.');
    this.#transport = new Transport(options);
    const maxRetries = options.maxRetries !== undefined && options.maxRetries >= 0 ? Math.floor(options.maxRetries) : DEFAULT_MAX_RETRIES;
    this.#requests = new Requests(this.#transport, new ClientLog(options.logger, [options.apiKey]), maxRetries);
  }

  /** The normalised base URL, e.g. 'https://api.moonshot.cn/v1'. */
  get baseUrl(): string {
    return this.#transport.baseUrl;
  }

  /** The proxy in use (option or environment), or undefined for direct connections. */
  get proxy(): string | undefined {
    return this.#transport.proxy;
  }

  listModels(o?: RequestOptions): Promise<Model[]> {
    return models.listModels(this.#requests, o);
  }

  getModel(id: string, o?: RequestOptions): Promise<Model> {
    return models.getModel(this.#requests, id, o);
  }

  generate(model: string, messages: ChatMessage[], params?: ChatParams & RequestOptions): Promise<ChatCompletion> {
    return chat.generate(this.#requests, model, messages, params);
  }

  /** Chunks as the API sends them; throws InvokeConnectionError after them if [DONE] never came. */
  streamGenerate(model: string, messages: ChatMessage[], params?: ChatParams & RequestOptions): AsyncIterable<ChatCompletionChunk> {
    return chat.streamGenerate(this.#requests, model, messages, params);
  }

  countTokens(model: string, messages: ChatMessage[], o?: RequestOptions): Promise<number> {
    return tokens.countTokens(this.#requests, model, messages, o);
  }

  createCache(model: string, messages: ChatMessage[], params?: CreateCacheParams): Promise<ContextCache> {
    return caches.createCache(this.#requests, model, messages, params);
  }

  listCaches(params?: ListCachesParams): Promise<{ object: 'list'; data: ContextCache[] }> {
    return caches.listCaches(this.#requests, params);
  }

  getCache(id: string, o?: RequestOptions): Promise<ContextCache> {
    return caches.getCache(this.#requests, id, o);
  }

  updateCache(id: string, params: UpdateCacheParams): Promise<ContextCache> {
    return caches.updateCache(this.#requests, id, params);
  }

  deleteCache(id: string, o?: RequestOptions): Promise<{ deleted: boolean; id: string }> {
    return caches.deleteCache(this.#requests, id, o);
  }

  createTag(tag: string, cacheId: string, o?: RequestOptions): Promise<CacheTag> {
    return tags.createTag(this.#requests, tag, cacheId, o);
  }

  listTags(params?: ListParams): Promise<{ object: 'list'; data: CacheTag[] }> {
    return tags.listTags(this.#requests, params);
  }

  getTag(tag: string, o?: RequestOptions): Promise<CacheTag> {
    return tags.getTag(this.#requests, tag, o);
  }

  getTagContent(tag: string, o?: RequestOptions): Promise<ContextCache> {
    return tags.getTagContent(this.#requests, tag, o);
  }

  deleteTag(tag: string, o?: RequestOptions): Promise<{ deleted: boolean; tag: string }> {
    return tags.deleteTag(this.#requests, tag, o);
  }

  getBalance(o?: RequestOptions): Promise<Balance> {
    return balance.getBalance(this.#requests, o);
  }

  /** A proxy URL, '' for a direct connection, or undefined to follow HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  setProxy(url: string | undefined): void {
    this.#transport.setProxy(url);
  }

  /** Closes the client's pooled connections. */
  close(): Promise<void> {
    return this.#transport.close();
  }
}

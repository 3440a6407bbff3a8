// Public shapes of the Moonshot API as this client exposes them. Extra fields the server sends are
// kept (index signatures) because the platform adds fields often.

export interface KimiLogger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call (ms). */
  timeoutMs?: number;
}

export interface Model {
  id: string;
  object: 'model' | string;
  created?: number;
  owned_by?: string;
  /** Documented by the current OpenAPI file; absent on older servers. */
  context_length?: number;
  supports_image_in?: boolean;
  supports_video_in?: boolean;
  supports_reasoning?: boolean;
  [extra: string]: unknown;
}

export type Role = 'system' | 'user' | 'assistant' | 'tool' | 'cache';

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: string; [extra: string]: unknown };

export interface ToolCall {
  id: string;
  type: 'function' | string;
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: Role;
  content: string | ContentPart[];
  name?: string;
  /** Partial mode: on the last message, an assistant one, the answer continues from its content. */
  partial?: boolean;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** A thinking model's reasoning, kept exactly as returned so it can be sent back (see messagesFor). */
  reasoning_content?: string;
}

export interface Tool {
  type: 'function' | 'builtin_function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface ChatParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  n?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  stop?: string | string[];
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; [extra: string]: unknown };
  tools?: Tool[];
  /** 'required' only on kimi-k3 (ModelFacts.toolChoiceRequired). */
  tool_choice?: 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } } | null;
  /** kimi-k2.5 / kimi-k2.6 only; never together with reasoning_effort (see chatParams). */
  thinking?: { type: 'enabled' | 'disabled'; keep?: 'all' | null };
  /** kimi-k3's thinking depth. */
  reasoning_effort?: 'low' | 'medium' | 'high';
  prompt_cache_key?: string;
  /** Sent only when true; the final usage arrives either way (see streaming). */
  stream_options?: { include_usage?: boolean };
  /** Extra HTTP headers, e.g. the X-Msh-Context-Cache header form of cache use. */
  headers?: Record<string, string>;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Moonshot's own spelling (top level of usage). */
  cached_tokens?: number;
  /** OpenAI's spelling, seen on newer servers. */
  prompt_tokens_details?: { cached_tokens?: number; [extra: string]: unknown };
  /** Reasoning tokens of thinking models (part of completion_tokens, billed as output). */
  completion_tokens_details?: { reasoning_tokens?: number; [extra: string]: unknown };
  [extra: string]: unknown;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | string | null;

export interface ChatCompletion {
  id: string;
  object: 'chat.completion' | string;
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; reasoning_content?: string; tool_calls?: ToolCall[] };
    finish_reason: FinishReason;
  }>;
  usage?: Usage;
  [extra: string]: unknown;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk' | string;
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: 'assistant';
      content?: string | null;
      reasoning_content?: string;
      tool_calls?: Array<{ index: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason: FinishReason;
    /** Where Moonshot puts the final usage in streams. */
    usage?: Usage;
  }>;
  /** Set on the chunk that carries the final usage, wherever the server put it. */
  usage?: Usage;
  [extra: string]: unknown;
}

export type CacheStatus = 'pending' | 'ready' | 'error' | 'inactive' | 'expired' | string;

export interface ContextCache {
  id: string;
  /** Real responses say context_cache_object; the docs' table says context-cache. */
  object: string;
  model: string;
  messages?: ChatMessage[];
  tools?: Tool[] | null;
  name?: string;
  description?: string;
  metadata?: Record<string, string> | null;
  status: CacheStatus;
  tokens?: number;
  created_at?: number;
  expired_at?: number;
  error?: { type?: string; message?: string };
  [extra: string]: unknown;
}

export interface CacheTag {
  tag: string;
  cache_id: string;
  object: 'cache_object.tag' | string;
  created_at?: number;
  owned_by?: string;
  [extra: string]: unknown;
}

export interface CreateCacheParams extends RequestOptions {
  tools?: Tool[];
  name?: string;
  description?: string;
  metadata?: Record<string, string>;
  /** Seconds from now; do not combine with expiredAt. */
  ttl?: number;
  /** Unix seconds. */
  expiredAt?: number;
  tags?: string[];
}

export interface ListParams extends RequestOptions {
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string;
  before?: string;
}

export interface ListCachesParams extends ListParams {
  metadata?: Record<string, string>;
}

export interface UpdateCacheParams extends RequestOptions {
  metadata?: Record<string, string>;
  ttl?: number;
  expiredAt?: number;
}

export interface Balance {
  available_balance: number;
  voucher_balance: number;
  cash_balance: number;
}

export interface KimiClientOptions {
  apiKey: string;
  /** Default https://api.moonshot.cn/v1; a URL without /v1 or with a trailing slash is accepted. */
  baseUrl?: string;
  /** http(s)://[user:pass@]host:port */
  proxy?: string;
  /** Per request; for streams, the time to first byte and the longest idle gap between bytes. */
  timeoutMs?: number;
  maxRetries?: number;
  logger?: KimiLogger;
}

/** The largest TTL the caching API accepts, in seconds (docs: expired_at at most now + 3600). */
export const MAX_CACHE_TTL_SECONDS = 3600;

/** Explicit context caches exist only for this model family. */
export const CACHE_MODEL_FAMILY = 'moonshot-v1';

export const BASE_URLS = {
  china: 'https://api.moonshot.cn/v1',
  international: 'https://api.moonshot.ai/v1',
} as const;

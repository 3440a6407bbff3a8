// A conversation as stored and shown: plain data shared by the chat, the editor commands' answer
// runs and the webview. No vscode import.

export interface UsageSummary {
  prompt: number;
  cached: number;
  completion: number;
  /** Of the completion tokens, those spent reasoning (when the server reports them). */
  reasoning?: number;
}

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** A next step offered with an error: each maps to a fixed host action, never a free command id. */
export type ErrorAction = 'setApiKey' | 'retry' | 'showLog' | 'selectModel' | 'detachCache';

export interface TurnError {
  message: string;
  actions: ErrorAction[];
}

export interface Turn {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  status?: TurnStatus;
  model?: string;
  usage?: UsageSummary;
  error?: TurnError;
  /** The model's reasoning (`reasoning_content`) exactly as returned: shown, and replayed where the model requires it. */
  reasoning?: string;
  /** How long the model reasoned before answering, in ms. */
  thinkingMs?: number;
  /** 'length': cut off at the token limit (the answer can be continued). */
  finishReason?: string;
  /** How many `$web_search` round trips this answer made. */
  webSearches?: number;
}

/** A conversation attached to a context cache (by its id, or by a tag naming it) sends {role:'cache'} first. */
export type CacheRef = { kind: 'cache'; cacheId: string; label?: string } | { kind: 'tag'; tag: string; label?: string };

/** What the user knows the cache by: its name when known, else the cache id or the tag. */
export function cacheRefName(ref: CacheRef): string {
  return ref.label ?? cacheRefTarget(ref);
}

/** The cache id, or the tag name. */
export function cacheRefTarget(ref: CacheRef): string {
  return ref.kind === 'tag' ? ref.tag : ref.cacheId;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  model?: string;
  cache?: CacheRef;
  turns: Turn[];
  draft?: string;
  /** Offer the built-in `$web_search` tool in this conversation (billed per call). */
  webSearch?: boolean;
}

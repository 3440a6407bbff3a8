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

/** A conversation attached to a context cache sends {role:'cache'} first. */
export interface CacheRef {
  kind: 'cache' | 'tag';
  /** Cache id or tag name. */
  id: string;
  label?: string;
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
